"""Published reports: the weekly HTML page, the XLSX workbook and the CSV files."""
