"""Open Referral UK exchange: HSDS 3.0 JSON and the HSDS tabular data package, out and in.

A Service is an HSDS service; its organisation, locations (one address each), contacts, opening
hours, languages and needs nest inside it under their HSDS names, with the records' stable uuids as
ids. What HSDS has no field for (published, referral routes, communities served, who runs it, how
much of a location the public may see, the type, amount and dates of funding) travels as HSDS
attributes pointing at terms of Waymark's own "service details" taxonomy, so a staff export imported
into another Waymark loses nothing. Records Waymark derives (a service's phone, a location's
address, an attribute) get ids made from their parent's id, so the same data always exports the same.

Exports are checked against the Open Referral UK and HSDS 3.0 schemas copied into ``standards/``.
The public export shows only public services, locations as ``public.py`` allows and public contacts;
internal notes are never exported, and funding only in the staff export.

An import checks every record against the same schemas and Waymark's own rules first and reports
every problem at once, each named so a person can find it ("service 3 ('Open Door'), field
minimum_age: must be a whole number", "services.csv row 7, column status: ..."). Nothing is written
unless every record passes; then everything is written in one transaction through the services.
"""
