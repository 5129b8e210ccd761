//! Reading a CSV file of workers: pure (no database), so that any input, however broken,
//! answers rows or errors and never panics. The database checks (document numbers already
//! registered) and the writes are in the workers service.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::worker::{self, Context, Draft, ValidWorker};

/// The columns of the header row, in any order. Required: full_name, date_of_birth,
/// gender, id_document_number, home_province_code, available_from, available_until.
pub const COLUMNS: [&str; 12] = [
    "full_name",
    "date_of_birth",
    "gender",
    "id_document_number",
    "home_province_code",
    "phone",
    "email",
    "languages",
    "skills",
    "available_from",
    "available_until",
    "seasons_worked",
];
const REQUIRED: [&str; 7] = [
    "full_name",
    "date_of_birth",
    "gender",
    "id_document_number",
    "home_province_code",
    "available_from",
    "available_until",
];
/// Separator of the values of `languages` and `skills` within one cell.
pub const LIST_SEPARATOR: char = ';';
/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// The longest cell read; anything longer is refused before it is looked at.
const MAX_CELL_BYTES: usize = 1_000;
/// The most errors one answer lists: a file this wrong is not read further (the list ends
/// with `too_many_errors`).
pub const MAX_ERRORS: usize = 1_000;

/// One problem in the file. `row` counts records from 1, the header row being row 1 (so
/// the first worker is row 2, as a spreadsheet shows it); `field` is a column name, or
/// `row` for the whole record, or `file` for the whole file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    /// required, invalid, invalid_utf8, invalid_date, too_long, age_out_of_range,
    /// unknown_province, unknown_skill, before_available_from, out_of_range,
    /// duplicate_in_file, already_registered, wrong_field_count, missing_column,
    /// unknown_column, duplicate_column, too_many_columns, empty_file, too_many_rows,
    /// too_many_errors, malformed.
    pub code: String,
}

impl RowError {
    fn new(row: usize, field: &str, code: &str) -> Self {
        RowError { row, field: field.to_owned(), code: code.to_owned() }
    }
}

/// A checked worker and the row it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRow {
    pub row: usize,
    pub worker: ValidWorker,
}

/// A file read: the rows that passed and the problems of the others.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
}

/// Reads the whole file: every row checked, or every faulty row listed.
pub fn parse(bytes: &[u8], ctx: &Context) -> Result<Vec<ParsedRow>, Vec<RowError>> {
    let Parsed { rows, errors } = read(bytes, ctx);
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Reads the whole file, keeping the good rows next to the problems of the faulty ones.
pub fn read(bytes: &[u8], ctx: &Context) -> Parsed {
    let failed = |errors| Parsed { rows: Vec::new(), errors };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.byte_records();

    let header = match records.next() {
        None => return failed(vec![RowError::new(1, "file", "empty_file")]),
        Some(Err(_)) => return failed(vec![RowError::new(1, "row", "malformed")]),
        Some(Ok(header)) => header,
    };
    let columns = match read_header(&header) {
        Ok(columns) => columns,
        Err(errors) => return failed(errors),
    };

    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    let mut rows = 0usize;
    for (index, record) in records.enumerate() {
        let row = index + 2;
        rows += 1;
        if errors.len() >= MAX_ERRORS {
            errors.push(RowError::new(row, "file", "too_many_errors"));
            break;
        }
        if rows > MAX_ROWS {
            errors.push(RowError::new(row, "file", "too_many_rows"));
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(_) => {
                // The reader cannot say where the next record starts: stop here.
                errors.push(RowError::new(row, "row", "malformed"));
                break;
            }
        };
        if record.len() != columns.len() {
            errors.push(RowError::new(row, "row", "wrong_field_count"));
            continue;
        }
        match read_row(row, &columns, &record, ctx) {
            Ok(worker) => {
                if first_row_of.contains_key(&worker.id_document_number) {
                    errors.push(RowError::new(row, "id_document_number", "duplicate_in_file"));
                } else {
                    first_row_of.insert(worker.id_document_number.clone(), row);
                    parsed.push(ParsedRow { row, worker });
                }
            }
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if rows == 0 && errors.is_empty() {
        errors.push(RowError::new(2, "file", "empty_file"));
    }
    Parsed { rows: parsed, errors }
}

/// The column of each cell, checked: every name known, none twice, every required one present.
fn read_header(header: &csv::ByteRecord) -> Result<Vec<&'static str>, Vec<RowError>> {
    // Each column once: a header much longer than that is not read cell by cell.
    if header.len() > 2 * COLUMNS.len() {
        return Err(vec![RowError::new(1, "row", "too_many_columns")]);
    }
    let mut errors = Vec::new();
    let mut columns = Vec::new();
    for cell in header {
        let Ok(name) = std::str::from_utf8(cell) else {
            errors.push(RowError::new(1, "row", "invalid_utf8"));
            continue;
        };
        let name = name.trim().to_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(column) if columns.contains(column) => {
                errors.push(RowError::new(1, column, "duplicate_column"))
            }
            Some(column) => columns.push(*column),
            None => {
                let shown: String = name.chars().take(64).collect();
                errors.push(RowError::new(1, &shown, "unknown_column"));
            }
        }
    }
    for required in REQUIRED {
        if !columns.contains(&required) {
            errors.push(RowError::new(1, required, "missing_column"));
        }
    }
    if errors.is_empty() { Ok(columns) } else { Err(errors) }
}

/// One data row: its cells as text, then the worker's checks.
fn read_row(
    row: usize,
    columns: &[&'static str],
    record: &csv::ByteRecord,
    ctx: &Context,
) -> Result<ValidWorker, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut draft = Draft::default();
    for (column, cell) in columns.iter().zip(record) {
        if cell.len() > MAX_CELL_BYTES {
            errors.push(RowError::new(row, column, "too_long"));
            continue;
        }
        let Ok(text) = std::str::from_utf8(cell) else {
            errors.push(RowError::new(row, column, "invalid_utf8"));
            continue;
        };
        let text = text.trim();
        let list = || text.split(LIST_SEPARATOR).map(str::to_owned).collect::<Vec<_>>();
        let date = |errors: &mut Vec<RowError>| {
            let code = if text.is_empty() { "required" } else { "invalid_date" };
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(RowError::new(row, column, code));
            }
            parsed
        };
        match *column {
            "full_name" => draft.full_name = text.to_owned(),
            "date_of_birth" => draft.date_of_birth = date(&mut errors),
            "gender" => draft.gender = text.to_owned(),
            "id_document_number" => draft.id_document_number = text.to_owned(),
            "home_province_code" => draft.home_province_code = text.to_owned(),
            "phone" => draft.phone = Some(text.to_owned()),
            "email" => draft.email = Some(text.to_owned()),
            "languages" => draft.languages = list(),
            "skills" => draft.skills = list(),
            "available_from" => draft.available_from = date(&mut errors),
            "available_until" => draft.available_until = date(&mut errors),
            "seasons_worked" if text.is_empty() => {}
            "seasons_worked" => match text.parse() {
                Ok(n) => draft.seasons_worked = Some(n),
                Err(_) => errors.push(RowError::new(row, column, "invalid")),
            },
            _ => {}
        }
    }
    let reported: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    match worker::validate(draft, ctx) {
        Ok(worker) if errors.is_empty() => Ok(worker),
        Ok(_) => Err(errors),
        Err(field_errors) => {
            // A cell already refused (unreadable, too long) is not reported twice.
            errors.extend(
                field_errors
                    .into_iter()
                    .filter(|e| !reported.iter().any(|r| r == e.field))
                    .map(|e| RowError::new(row, e.field, e.code)),
            );
            errors.sort_by_key(|e| COLUMNS.iter().position(|c| *c == e.field));
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "full_name,date_of_birth,gender,id_document_number,home_province_code,phone,email,languages,skills,available_from,available_until,seasons_worked\n";

    fn ctx() -> Context {
        Context {
            today: "2026-11-26".parse().unwrap(),
            skills: ["cane_knife".to_owned(), "first_aid".to_owned()].into(),
            provinces: ["VN-09".to_owned(), "VN-04".to_owned()].into(),
        }
    }

    fn line(name: &str, document: &str) -> String {
        format!(
            "\"{name}\",1990-05-01,female,{document},VN-09,+84 912 345 678,,vi;zh,cane_knife;first_aid,2026-11-01,2027-04-30,2\n"
        )
    }

    #[test]
    fn good_rows_are_read_with_their_diacritics() {
        let csv = format!(
            "\u{feff}{HEADER}{}{}",
            line("Nguyễn Thị Hoa", "C1234567"),
            line("Đỗ Văn Ánh", "C7654321")
        );
        let rows = parse(csv.as_bytes(), &ctx()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].worker.full_name.as_str()), (2, "Nguyễn Thị Hoa"));
        assert_eq!(rows[1].worker.skills, ["cane_knife", "first_aid"]);
        assert_eq!(rows[1].worker.seasons_worked, 2);
    }

    #[test]
    fn every_faulty_row_is_listed() {
        let csv = format!(
            "{HEADER}{}{}{}{}x,y\n{}",
            line("Nguyễn Thị Hoa", "C1234567"),
            line("", "C2222222"),
            line("Lê Văn Tám", "C1234567"),
            "Trần Bình,1990-13-01,male,C3333333,VN-99,,,vi,,2026-11-01,2026-10-01,\n",
            line("Phạm Thị Lan", "C4444444"),
        );
        let errors = parse(csv.as_bytes(), &ctx()).unwrap_err();
        let found: Vec<(usize, &str, &str)> =
            errors.iter().map(|e| (e.row, e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, "full_name", "required"),
                (4, "id_document_number", "duplicate_in_file"),
                (5, "date_of_birth", "invalid_date"),
                (5, "home_province_code", "unknown_province"),
                (5, "available_until", "before_available_from"),
                (6, "row", "wrong_field_count"),
            ]
        );
    }

    #[test]
    fn bad_utf8_and_bad_headers_are_reported() {
        let mut csv = HEADER.as_bytes().to_vec();
        csv.extend_from_slice(b"Nguy\xff n,1990-05-01,female,C1234567,VN-09,,,vi,,2026-11-01,2027-04-30,0\n");
        assert_eq!(parse(&csv, &ctx()).unwrap_err(), [RowError::new(2, "full_name", "invalid_utf8")]);
        let errors = parse(b"full_name,nickname,full_name\n", &ctx()).unwrap_err();
        assert!(errors.contains(&RowError::new(1, "nickname", "unknown_column")));
        assert!(errors.contains(&RowError::new(1, "full_name", "duplicate_column")));
        assert!(errors.contains(&RowError::new(1, "gender", "missing_column")));
        assert_eq!(parse(b"", &ctx()).unwrap_err(), [RowError::new(1, "file", "empty_file")]);
        assert_eq!(parse(HEADER.as_bytes(), &ctx()).unwrap_err(), [RowError::new(2, "file", "empty_file")]);
    }

    #[test]
    fn a_file_this_wrong_is_not_read_to_its_end() {
        // A header of 100,000 columns is one error, not 100,000.
        let wide = format!("{}\n", vec!["x"; 100_000].join(","));
        assert_eq!(
            parse(wide.as_bytes(), &ctx()).unwrap_err(),
            [RowError::new(1, "row", "too_many_columns")]
        );
        // 5,000 faulty rows: the first MAX_ERRORS listed, then where the reading stopped.
        let csv = format!("{HEADER}{}", "x,y\n".repeat(5_000));
        let errors = parse(csv.as_bytes(), &ctx()).unwrap_err();
        assert_eq!(errors.len(), MAX_ERRORS + 1);
        assert_eq!(errors[MAX_ERRORS - 1], RowError::new(MAX_ERRORS + 1, "row", "wrong_field_count"));
        assert_eq!(errors[MAX_ERRORS], RowError::new(MAX_ERRORS + 2, "file", "too_many_errors"));
    }

    fn malformed_input() -> impl Strategy<Value = Vec<u8>> {
        let fragment = prop_oneof![
            Just(HEADER.as_bytes().to_vec()),
            Just(line("Nguyễn Thị Hoa", "C1234567").into_bytes()),
            Just(b"\"".to_vec()),
            Just(b",".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(b"\xc3".to_vec()),
            Just("ễ".repeat(600).into_bytes()),
            Just(vec![b'x'; 5_000]),
            Just(b"1990-02-30".to_vec()),
            Just(b";;;".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..64),
        ];
        proptest::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn malformed_input_never_panics(bytes in malformed_input()) {
            match parse(&bytes, &ctx()) {
                Ok(rows) => prop_assert!(rows.iter().all(|r| r.row >= 2)),
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let with_header = [HEADER.as_bytes(), &bytes].concat();
            for input in [&bytes[..], &with_header[..]] {
                match parse(input, &ctx()) {
                    Ok(rows) => prop_assert!(rows.iter().all(|r| r.row >= 2)),
                    Err(errors) => prop_assert!(!errors.is_empty()),
                }
            }
        }
    }
}
