"""API pagination: page-numbered, with the page size a client may choose up to a cap."""

from rest_framework.pagination import PageNumberPagination


class WaymarkPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
