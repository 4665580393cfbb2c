//! Tables as downloads, CSV or XLSX, written page by page so a long table (the whole queue)
//! never sits in memory: CSV goes out as its pages are read; XLSX, whose zip needs its
//! directory at the end, is written in the crate's constant-memory mode to an unnamed
//! temporary file (gone when closed) and then streamed from it. Numbers stay numbers and
//! dates dates in the workbook; Arabic sheets read right to left.
use app::error::{internal, AppError};
use async_trait::async_trait;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::sheet::{sheet_name, Cell};
use futures_util::stream::{self, StreamExt};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::{Seek, SeekFrom};
use tokio::sync::mpsc;

/// The two kinds of file a table downloads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// `funnel.xlsx` → (`funnel`, XLSX); anything else is not a download.
    pub fn split(file: &str) -> Option<(&str, FileFormat)> {
        if let Some(stem) = file.strip_suffix(".csv") {
            Some((stem, FileFormat::Csv))
        } else {
            file.strip_suffix(".xlsx").map(|stem| (stem, FileFormat::Xlsx))
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Where the rows of a download come from, one page at a time; `None` after the last.
#[async_trait]
pub trait RowSource: Send + 'static {
    async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError>;
}

/// A table already held whole (the dashboard's few rows).
pub struct Whole(pub Option<Vec<Vec<Cell>>>);

#[async_trait]
impl RowSource for Whole {
    async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
        Ok(self.0.take())
    }
}

#[async_trait]
impl RowSource for app::review::server::QueueExport {
    async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
        app::review::server::QueueExport::next_rows(self).await
    }
}

#[async_trait]
impl RowSource for app::establishments::server::RegisterExport {
    async fn next_rows(&mut self) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
        app::establishments::server::RegisterExport::next_rows(self).await
    }
}

/// The sheet's name, its column headings, and its direction.
pub struct Head {
    pub name: String,
    pub header: Vec<String>,
    pub right_to_left: bool,
}

/// The download response: the file named `file_name`, private to its reader. Errors before
/// the first byte (a refused filter, a failed first page) are returned for the caller to
/// answer; an error later cuts the download short, so a partial file is never taken for a
/// whole one.
pub async fn download(
    head: Head,
    rows: impl RowSource,
    format: FileFormat,
    file_name: &str,
) -> Result<Response, AppError> {
    let body = match format {
        FileFormat::Csv => csv_body(head, rows).await?,
        FileFormat::Xlsx => xlsx_body(head, rows).await?,
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    let name = format!("{file_name}.{}", format.extension());
    if let Ok(value) = HeaderValue::from_str(&domain::documents::attachment_disposition(&name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Lines of CSV for these rows (CRLF, quoted where needed).
fn csv_lines(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn csv_page(page: Vec<Vec<Cell>>) -> Result<Vec<u8>, csv::Error> {
    csv_lines(page.into_iter().map(|row| row.iter().map(Cell::csv_text).collect()))
}

/// UTF-8 with a byte-order mark (so Excel reads Arabic), the headings, then each page.
async fn csv_body(head: Head, mut rows: impl RowSource) -> Result<Body, AppError> {
    let first = rows.next_rows().await?;
    let mut start = Vec::from("\u{feff}".as_bytes());
    let headings = head
        .header
        .iter()
        .map(|h| domain::stats::spreadsheet_text(h).into_owned())
        .collect();
    start.extend(csv_lines([headings]).map_err(internal("writing a CSV export failed"))?);
    start.extend(csv_page(first.unwrap_or_default()).map_err(internal("writing a CSV export failed"))?);
    let rest = stream::unfold(Some(rows), |state| async move {
        let mut rows = state?;
        let page = match rows.next_rows().await {
            Ok(Some(page)) => page,
            Ok(None) => return None,
            // Already logged where it happened; the body ends with an error.
            Err(_) => return Some((Err(std::io::Error::other("the export stopped")), None)),
        };
        match csv_page(page) {
            Ok(bytes) => Some((Ok(Bytes::from(bytes)), Some(rows))),
            Err(error) => {
                tracing::error!(%error, "writing a CSV export failed");
                Some((Err(std::io::Error::other("the export stopped")), None))
            }
        }
    });
    // Fused: the body may be polled again after its end, which an unfold does not allow.
    let body = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(start)) })
        .chain(rest)
        .fuse();
    Ok(Body::from_stream(body))
}

/// Pages read here go to a blocking task that writes the workbook; the finished file is
/// then streamed. At most two pages wait between the two.
async fn xlsx_body(head: Head, mut rows: impl RowSource) -> Result<Body, AppError> {
    let (pages, received) = mpsc::channel::<Vec<Vec<Cell>>>(2);
    let writer = tokio::task::spawn_blocking(move || write_xlsx(head, received));
    let fed = async {
        while let Some(page) = rows.next_rows().await? {
            if pages.send(page).await.is_err() {
                // The writer stopped; its error is reported below.
                break;
            }
        }
        Ok::<_, AppError>(())
    }
    .await;
    drop(pages);
    let written = writer.await.map_err(internal("the XLSX writing task failed"))?;
    fed?;
    let file = written.map_err(internal("writing an XLSX export failed"))?;
    let file = tokio::fs::File::from_std(file);
    Ok(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
}

/// How each kind of cell looks in the workbook.
struct Formats {
    header: Format,
    whole: Format,
    tenths: Format,
    hundredths: Format,
    share: Format,
    money: [Format; 4],
    date: Format,
    month: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_text_wrap(),
            whole: Format::new().set_num_format("#,##0"),
            tenths: Format::new().set_num_format("#,##0.0"),
            hundredths: Format::new().set_num_format("0.00"),
            share: Format::new().set_num_format("0.0%"),
            money: [
                Format::new().set_num_format("#,##0"),
                Format::new().set_num_format("#,##0.0"),
                Format::new().set_num_format("#,##0.00"),
                Format::new().set_num_format("#,##0.000"),
            ],
            date: Format::new().set_num_format("yyyy-mm-dd"),
            month: Format::new().set_num_format("yyyy-mm"),
        }
    }
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, f: &Formats) -> Result<(), XlsxError> {
    // Text is stored as text, never read as a formula, so it needs no apostrophe here.
    match cell {
        Cell::Text(text) => sheet.write_string(row, col, text.as_str()).map(drop),
        Cell::Whole(n) => sheet.write_number_with_format(row, col, *n as f64, &f.whole).map(drop),
        Cell::Tenths(_) | Cell::Hundredths(_) | Cell::Share(_) | Cell::Money(..) => {
            let format = match cell {
                Cell::Tenths(_) => &f.tenths,
                Cell::Hundredths(_) => &f.hundredths,
                Cell::Share(_) => &f.share,
                Cell::Money(_, currency) => {
                    let places = currency.minor_per_major().max(1).ilog10() as usize;
                    &f.money[places.min(3)]
                }
                _ => &f.whole,
            };
            let number = cell.number().unwrap_or_default();
            sheet.write_number_with_format(row, col, number, format).map(drop)
        }
        Cell::Date(date) | Cell::Month(date) => {
            let day = if matches!(cell, Cell::Month(_)) { 1 } else { date.day };
            let when = ExcelDateTime::from_ymd(
                u16::try_from(date.year).unwrap_or(1900),
                u8::try_from(date.month).unwrap_or(1),
                u8::try_from(day).unwrap_or(1),
            )?;
            let format = if matches!(cell, Cell::Month(_)) {
                &f.month
            } else {
                &f.date
            };
            sheet.write_datetime_with_format(row, col, when, format).map(drop)
        }
        Cell::Empty => Ok(()),
    }
}

fn write_xlsx(head: Head, mut pages: mpsc::Receiver<Vec<Vec<Cell>>>) -> Result<std::fs::File, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(&head.name))?;
    sheet.set_right_to_left(head.right_to_left);
    sheet.set_freeze_panes(1, 0)?;
    for (col, title) in head.header.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        // Wide enough for most Arabic headings and amounts, narrower for a single digit.
        sheet.set_column_width(col, 18)?;
        sheet.write_string_with_format(0, col, title.as_str(), &formats.header)?;
    }
    let mut row: u32 = 1;
    while let Some(page) = pages.blocking_recv() {
        for cells in page {
            for (col, cell) in cells.iter().enumerate() {
                write_cell(sheet, row, u16::try_from(col).unwrap_or(u16::MAX), cell, &formats)?;
            }
            row += 1;
        }
    }
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}
