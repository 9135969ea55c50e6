"""Excel in: importing earlier rounds from xlsx, and the import template.

upload.py reads the untrusted file, rows.py checks every row, write.py hands the checked rows
to the responses and assessment services, importer.py runs the three in one transaction;
views.py is the admin page, the template download and `flask --app survey import-xlsx`
(registered on the exports blueprint, so the endpoints stay exports.import_*).
"""
