"""What every app's API endpoints build on: policy-checked viewsets and permissions, the one error
shape and its serializer, and pagination. ``waymark.api`` (the root, schema, tokens) sits on top."""
