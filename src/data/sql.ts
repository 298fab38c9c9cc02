/**
 * The one way SQL is built in Callsight (after Observable Framework's DuckDB client):
 * values become prepared-statement parameters, identifiers go through `ident`, and
 * fragments compose. Nothing from a user file is ever concatenated into SQL text.
 */
export type SqlValue = string | number | boolean | null | bigint;

export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly SqlValue[],
  ) {}
}

class Identifier {
  constructor(readonly quoted: string) {}
}

class RawSql {
  constructor(readonly text: string) {}
}

/** Quote a column or table name. Doubled quotes are DuckDB's (and SQL's) escape. */
export function ident(name: string): Identifier {
  if (name.includes('\u0000')) throw new Error('Column names cannot contain NUL characters.');
  return new Identifier(`"${name.replaceAll('"', '""')}"`);
}

/**
 * Trusted SQL text written by us (keywords, function names from an allow-list).
 * Never pass text derived from user input here.
 */
export function unsafeRaw(text: string): RawSql {
  return new RawSql(text);
}

export type SqlPart = SqlValue | Sql | Identifier | RawSql;

export function sql(strings: TemplateStringsArray, ...values: SqlPart[]): Sql {
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else if (value instanceof Identifier || value instanceof RawSql) {
      text += value instanceof Identifier ? value.quoted : value.text;
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, params);
}

/** Join fragments with a separator (e.g. `AND`, `, `). */
export function join(parts: readonly Sql[], separator: string): Sql {
  const text = parts.map((p) => p.text).join(separator);
  return new Sql(text, parts.flatMap((p) => p.params));
}

/** `IN (?, ?, ?)` for a list of values; an empty list matches nothing. */
export function inList(values: readonly SqlValue[]): Sql {
  if (values.length === 0) return new Sql('(NULL)', []);
  return new Sql(`(${values.map(() => '?').join(', ')})`, values);
}
