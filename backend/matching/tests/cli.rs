//! The `seasonlink-match` binary: a valid file is solved and verified; bad files give a
//! clear message and a non-zero exit, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use std::path::PathBuf;
use std::process::Command;

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("slm-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn instance(w: u64, v: u64, caps: &[u32], offsets: &[u64], vac: &[u32], score: &[u32]) -> Vec<u8> {
    let mut b = b"SLMINST1".to_vec();
    for x in [w, v, vac.len() as u64] {
        b.extend(x.to_le_bytes());
    }
    caps.iter().for_each(|x| b.extend(x.to_le_bytes()));
    offsets.iter().for_each(|x| b.extend(x.to_le_bytes()));
    vac.iter().for_each(|x| b.extend(x.to_le_bytes()));
    score.iter().for_each(|x| b.extend(x.to_le_bytes()));
    b
}

fn run(path: &PathBuf) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_seasonlink-match")).arg(path).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn solves_and_verifies_a_valid_file() {
    // The greedy trap: optimum 9 + 8 = 17.
    let f = write("ok", &instance(2, 2, &[1, 1], &[0, 2, 3], &[0, 1, 0], &[10, 9, 8]));
    let (code, out, err) = run(&f);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("objective=17 placed=2 solve_s="), "{out}");
    assert!(out.contains(" verify_s="), "{out}");
    assert!(out.contains(" peak_rss_mb="), "{out}");
}

#[test]
fn rejects_bad_files_with_a_message() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("magic", b"NOTMAGIC".repeat(4), "not an SLMINST1 file"),
        ("short", b"SLMINST1".to_vec(), "reading header"),
        ("size", instance(5, 1, &[1], &[0, 1], &[0], &[1]), "does not match the file size"),
        ("range", instance(1, 1, &[1], &[0, 1], &[3], &[1]), "names vacancy 3"),
        ("score", instance(1, 1, &[1], &[0, 1], &[0], &[2_000_000]), "above the maximum"),
        ("offsets", instance(2, 1, &[1], &[0, 1, 0], &[0], &[1]), "offsets decrease"),
    ];
    for (name, bytes, expected) in cases {
        let f = write(name, &bytes);
        let (code, out, err) = run(&f);
        assert_eq!(code, 1, "{name}: {out} {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let _ = std::fs::remove_file(f);
    }
    let (code, _, err) = run(&PathBuf::from("/nonexistent/instance.slm"));
    assert_eq!(code, 1);
    assert!(err.contains("No such file"), "{err}");
}
