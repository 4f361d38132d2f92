//! Reading a per-run table back from CSV (for scenario discovery): one
//! column per header field, numeric where every non-empty cell is a number.

use std::path::{Path, PathBuf};

use wedge_runner::Column;

/// Largest table read back, in bytes (scenario discovery holds it in memory).
pub const MAX_TABLE_BYTES: u64 = 4 << 30;

/// Why a table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadTableError {
    /// The file could not be opened or its header read.
    #[error("cannot read {}: {message}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why not.
        message: String,
    },
    /// A directory was given.
    #[error("cannot read {}: it is a directory; give a CSV file such as runs.csv", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
    },
    /// The file is over [`MAX_TABLE_BYTES`].
    #[error("{} is {bytes} bytes; wedge discover reads tables up to {MAX_TABLE_BYTES} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// A row is malformed.
    #[error("{}: row {row}: {message}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// The row's line (the header is line 1).
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// Only a header.
    #[error("{} has no rows under its header", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

impl wedge_io::Categorized for ReadTableError {
    fn category(&self) -> wedge_io::Category {
        wedge_io::Category::Usage
    }
}

/// Read a CSV table with a header row: a column is numeric if every
/// non-empty cell parses as a number (empty cells become NaN), otherwise labels.
pub fn read_table_csv(path: &Path) -> Result<Vec<(String, Column)>, ReadTableError> {
    let unreadable = |e: &dyn std::fmt::Display| ReadTableError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(&e))?;
    if meta.is_dir() {
        let path = path.to_path_buf();
        return Err(ReadTableError::Directory { path });
    }
    if meta.len() > MAX_TABLE_BYTES {
        let (path, bytes) = (path.to_path_buf(), meta.len());
        return Err(ReadTableError::TooLarge { path, bytes });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| unreadable(&e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadTableError::Row {
            path: path.to_path_buf(),
            row: i + 2,
            message: e.to_string(),
        })?;
        for (column, cell) in cells.iter_mut().zip(record.iter()) {
            column.push(cell.to_string());
        }
    }
    if cells.first().is_none_or(Vec::is_empty) {
        let path = path.to_path_buf();
        return Err(ReadTableError::Empty { path });
    }
    Ok(header.into_iter().zip(cells).map(typed).collect())
}

/// A column as numbers if every non-empty cell is one, else as labels.
fn typed((name, values): (String, Vec<String>)) -> (String, Column) {
    let numbers: Option<Vec<f64>> = values
        .iter()
        .map(|v| match v.is_empty() {
            true => Some(f64::NAN),
            false => v.parse().ok(),
        })
        .collect();
    let column = match numbers {
        Some(n) => Column::Numeric(n),
        None => Column::Labels(values),
    };
    (name, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_labels_and_empty_cells_are_typed_by_column() {
        let dir = std::env::temp_dir().join(format!("wedge-read-table-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("runs.csv");
        assert!(std::fs::write(&path, "split,arm,years\n1,a,2.5\n0,b,\n").is_ok());
        let columns = read_table_csv(&path).unwrap_or_default();
        assert_eq!(columns.len(), 3);
        assert_eq!(
            columns[0],
            ("split".into(), Column::Numeric(vec![1.0, 0.0]))
        );
        assert_eq!(columns[1].1, Column::Labels(vec!["a".into(), "b".into()]));
        assert!(matches!(&columns[2].1, Column::Numeric(v) if v[0] == 2.5 && v[1].is_nan()));
        assert!(std::fs::write(&path, "split,arm\n").is_ok());
        assert!(matches!(
            read_table_csv(&path),
            Err(ReadTableError::Empty { .. })
        ));
        assert!(matches!(
            read_table_csv(&dir),
            Err(ReadTableError::Directory { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
