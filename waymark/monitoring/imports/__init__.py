"""Population, activity and pre-aggregated imports: read, validate, map codes, aggregate, write.

Every import is an ``ImportBatch`` run as a background job (``services.imports.start_*_import``, then
``jobs.run_import_task``) or, for the demo and the benchmark, in this process (``batches.import_path``).
Files are CSV, XLSX or Parquet; column names are matched without regard to case, spaces or underscores.

- Population (census shape): ``area_code``, ``ethnic_group_code``, ``age_band`` ("0-4" … "85+"), ``sex``,
  ``count`` (other columns such as ``area_name`` are ignored). Replaces that year's figures for the areas
  in the file.
- Activity records: ``person_id`` (pseudonymous), ``ethnic_code``, ``age`` or ``age_band``, ``sex``,
  ``area_code`` (may be blank: counted as a missing area), ``provider_code`` or ``provider_ods_code``
  (ODS, may be blank),
  ``service`` (optional, not kept), ``measure``, ``date`` (YYYY-MM-DD or DD/MM/YYYY). Aggregated on import;
  record-level rows are never stored and the upload is deleted once the import has its outcome (only a
  worker that died part-way leaves it, for "Run again": ``jobs``). Ten million records import in
  well under ten seconds: one streaming read holds each record as small integers (every column but the
  person id is read as categories, so each distinct text is checked once), and the counting is done
  over whole arrays (``waymark.monitoring.cells``); see ``bench/monitoring_import.py``.
- Pre-aggregated counts: ``month`` (YYYY-MM), ``area_code``, ``ethnic_code``, ``age_band``, ``sex``,
  ``measure``, ``events``, optionally ``people`` (distinct people in that month and cell, stored as given).

Nothing is written if any row is invalid: the batch lists the first 1,000 errors by row and field and
counts all of them by field and message. Activity and pre-aggregated re-imports replace only that
provider's figures for the months of the declared period and the measures in the file, in one
transaction. Distinct people are counted on a 64-bit hash of the person id (a collision among ten
million ids has a chance of about three in a million).

The modules, in the order an import uses them: ``batches`` (upload to outcome), ``reading`` (files as
tables), ``lookups`` (what codes and values stand for), ``errors`` (checks and the error list),
``population``, ``activity`` and ``aggregated`` (one per kind of file), ``counting`` (events and distinct
people from activity records), ``periods`` (months, quarters, years and what a re-import replaces),
``writing`` (fast inserts) and ``jobs`` (the background job and how a batch follows it).
"""
