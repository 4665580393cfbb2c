//! The SQLite and the PostgreSQL migrations must describe the same schema: the same tables,
//! columns (kind and nullability), primary keys, foreign keys (with their delete rule),
//! indexes (unique or not, partial or not) and number of CHECK constraints. Both databases
//! are migrated from scratch and read back from their catalogues, so a migration added to
//! one folder and forgotten in the other fails here, not in production.
use crate::support::database;
use app::db::Backend;
use std::collections::{BTreeMap, BTreeSet};

/// What the code relies on of a column: its kind and whether it may be NULL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    kind: &'static str,
    not_null: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    columns: BTreeMap<(String, String), Column>,
    primary_keys: BTreeMap<String, Vec<String>>,
    /// (table, column, referenced table, referenced column, delete rule)
    foreign_keys: BTreeSet<(String, String, String, String, String)>,
    /// (table, columns, unique, partial)
    indexes: BTreeSet<(String, String, bool, bool)>,
    checks: BTreeMap<String, i64>,
}

/// The kind of a declared type, as both databases store it.
fn kind(declared: &str) -> &'static str {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") {
        "text"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") || t.contains("NUMERIC") {
        "real"
    } else if t.contains("BOOL") {
        "boolean"
    } else if t.contains("BLOB") || t.contains("BYTEA") {
        "bytes"
    } else {
        "other"
    }
}

/// How often `CHECK (` stands in a table's definition (SQLite keeps only the text).
fn count_checks(sql: &str) -> i64 {
    let upper = sql.to_ascii_uppercase();
    upper
        .match_indices("CHECK")
        .filter(|(at, _)| upper[at + 5..].trim_start().starts_with('('))
        .count() as i64
}

async fn sqlite_schema(pool: &sqlx::AnyPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, sql) in tables {
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut primary: Vec<String> = Vec::new();
        for (column, declared, not_null, pk) in &columns {
            if *pk > 0 {
                primary.push(column.clone());
            }
            schema.columns.insert(
                (table.clone(), column.clone()),
                Column {
                    kind: kind(declared),
                    // A primary key is never NULL, whatever SQLite's catalogue says.
                    not_null: *not_null == 1 || *pk > 0,
                },
            );
        }
        primary.sort();
        schema.primary_keys.insert(table.clone(), primary.clone());
        let keys: Vec<(String, String, Option<String>, String)> =
            sqlx::query_as("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (target, from, to, on_delete) in keys {
            // `REFERENCES users` names no column: it is the referenced table's primary key.
            let to = match to {
                Some(to) => to,
                None => {
                    sqlx::query_as::<_, (String,)>("SELECT name FROM pragma_table_info($1) WHERE pk = 1")
                        .bind(&target)
                        .fetch_one(pool)
                        .await
                        .unwrap()
                        .0
                }
            };
            schema
                .foreign_keys
                .insert((table.clone(), from, target, to, on_delete.to_ascii_uppercase()));
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, _origin, partial) in indexes {
            let mut columns: Vec<String> = sqlx::query_as::<_, (String,)>("SELECT name FROM pragma_index_info($1)")
                .bind(&index)
                .fetch_all(pool)
                .await
                .unwrap()
                .into_iter()
                .map(|(c,)| c)
                .collect();
            columns.sort();
            // The primary key's own index is the primary key, compared above.
            if unique == 1 && columns == primary {
                continue;
            }
            schema
                .indexes
                .insert((table.clone(), columns.join(","), unique == 1, partial == 1));
        }
        schema.checks.insert(table.clone(), count_checks(&sql));
    }
    schema
}

async fn postgres_schema(pool: &sqlx::AnyPool) -> Schema {
    let mut schema = Schema::default();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column, declared, nullable) in columns {
        schema.checks.entry(table.clone()).or_insert(0);
        schema.columns.insert(
            (table, column),
            Column {
                kind: kind(&declared),
                not_null: nullable == "NO",
            },
        );
    }
    let indexes: Vec<(String, String, bool, bool, bool)> = sqlx::query_as(
        "SELECT t.relname::text, \
                array_to_string(ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) k \
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k ORDER BY a.attname), ','), \
                ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, columns, unique, primary, partial) in indexes {
        if primary {
            schema
                .primary_keys
                .insert(table, columns.split(',').map(str::to_string).collect());
        } else {
            schema.indexes.insert((table, columns, unique, partial));
        }
    }
    for table in schema.checks.keys().cloned().collect::<Vec<_>>() {
        schema.primary_keys.entry(table).or_default();
    }
    let keys: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, kcu.column_name::text, ccu.table_name::text, ccu.column_name::text, rc.delete_rule::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         JOIN information_schema.constraint_column_usage ccu \
              ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         JOIN information_schema.referential_constraints rc \
              ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.foreign_keys = keys.into_iter().collect();
    let checks: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, COUNT(*) FROM pg_constraint c \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE c.contype = 'c' AND n.nspname = 'public' GROUP BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, count) in checks {
        schema.checks.insert(table, count);
    }
    schema
}

/// Lines that differ, named so that a person sees at once what to add where.
fn differences<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    what: &str,
    sqlite: &BTreeMap<K, V>,
    postgres: &BTreeMap<K, V>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in sqlite {
        match postgres.get(key) {
            None => out.push(format!("{what} {key:?} only in SQLite")),
            Some(other) if other != value => {
                out.push(format!("{what} {key:?}: SQLite {value:?}, PostgreSQL {other:?}"))
            }
            Some(_) => {}
        }
    }
    for key in postgres.keys().filter(|k| !sqlite.contains_key(k)) {
        out.push(format!("{what} {key:?} only in PostgreSQL"));
    }
    out
}

fn set_differences<T: Ord + std::fmt::Debug>(what: &str, sqlite: &BTreeSet<T>, postgres: &BTreeSet<T>) -> Vec<String> {
    sqlite
        .difference(postgres)
        .map(|x| format!("{what} {x:?} only in SQLite"))
        .chain(
            postgres
                .difference(sqlite)
                .map(|x| format!("{what} {x:?} only in PostgreSQL")),
        )
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_databases_have_the_same_schema() {
    let (sqlite_url, _dir) = database(Backend::Sqlite).await;
    let (postgres_url, _) = database(Backend::Postgres).await;
    let (sqlite, _) = app::db::connect(&sqlite_url, 2).await.expect("SQLite migrates");
    let (postgres, _) = app::db::connect(&postgres_url, 2).await.expect("PostgreSQL migrates");
    let (a, b) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres).await);
    assert!(
        a.columns.len() > 50,
        "the catalogue was read ({} columns)",
        a.columns.len()
    );
    let mut problems = differences("column", &a.columns, &b.columns);
    problems.extend(differences("primary key of", &a.primary_keys, &b.primary_keys));
    problems.extend(differences("CHECK constraints of", &a.checks, &b.checks));
    problems.extend(set_differences("foreign key", &a.foreign_keys, &b.foreign_keys));
    problems.extend(set_differences("index", &a.indexes, &b.indexes));
    assert!(
        problems.is_empty(),
        "the migrations drifted apart:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_check_constraint_is_counted_once() {
    assert_eq!(
        count_checks("CREATE TABLE t (a TEXT CHECK (a IN ('x')), b INT check(b > 0))"),
        2
    );
    assert_eq!(count_checks("CREATE TABLE checks (checked INT)"), 0);
}
