// RFC 4180 rows, each with the line it starts on: a bad row is reported where a person finds it, and the rows after
// it are still read. (csv-parse counts CRLF files' lines off by one when it skips a bad record.)

export interface CsvRow {
  /** The line the row starts on, from 1. */
  line: number;
  fields: string[];
  /** Why the row cannot be read; its fields are then incomplete. */
  error?: string;
}

/** The rows of a CSV text, empty lines skipped; a quoted field may hold commas, quotes ("") and line breaks. */
export function csvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let row: CsvRow = { line, fields: [] };
  let field = '';
  let quoted = false;
  let closedQuote = false;
  const endField = () => {
    row.fields.push(field);
    field = '';
    closedQuote = false;
  };
  const endRow = () => {
    endField();
    const empty = row.fields.length === 1 && row.fields[0] === '' && !row.error;
    if (!empty) rows.push(row);
    row = { line, fields: [] };
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
        closedQuote = true;
      } else {
        if (char === '\n') line++;
        if (!(char === '\r' && text[i + 1] === '\n')) field += char;
      }
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else if (char === '"' && field === '' && !closedQuote) {
      quoted = true;
    } else if (closedQuote) {
      row.error ??= `text after the closing quote of field ${row.fields.length + 1}`;
    } else {
      field += char;
    }
  }
  if (quoted) row.error = `the quote of field ${row.fields.length + 1} is never closed`;
  if (quoted || field !== '' || row.fields.length > 0) endRow();
  return rows;
}
