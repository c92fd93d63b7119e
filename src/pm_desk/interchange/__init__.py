"""The interchange tables of DESIGN.md in CSV and XLSX, and ICE's published agency lists.

The pieces, in the order an import uses them:

- `tables`: file names, natural keys and columns of the eight tables;
- `reading`: a folder of CSV files or a workbook into rows (BOM, CRLF, bad bytes, formulas);
- `cells` and `rows`: every cell read into a value and every row checked on its own;
- `existing`, `plan_caseload`, `plan_records`, `rights`: the database's records by natural key,
  each row matched to the record it creates, changes or leaves alone, and who may do that;
- `importing`: all of it put together into a plan with every problem of the set;
- `applying`: the plan written in bulk with its audit entries;
- `exporting`: the tables written out, sorted by key, so equal databases give equal files;
- `ice`: ICE's participating and pending lists read into rows.

The service that runs an import in one transaction is `pm_desk.services.imports` (and
`pm_desk.services.ice_lists` for ICE's lists).
"""
