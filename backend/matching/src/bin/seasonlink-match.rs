//! `seasonlink-match FILE [--no-verify] [--floor]`: solve an SLMINST1 instance (see
//! docs/bench-format.md) and print
//! `objective=… placed=… solve_s=… verify_s=… peak_rss_mb=…`.
//!
//! The solve time excludes reading the file. The optimality certificate is checked unless
//! `--no-verify` is given; a failed check exits with status 3. `--floor` also prints (on
//! stderr) the time of one pass over the scores and of one auction-style pass over all
//! edges, the physical floor the solve time is compared with. `--auction-only` runs the
//! ε-scaling down to ε = 1 without the early exact certificate (for comparison).

use std::fs::File;
use std::io::{BufReader, Read};
use std::process::ExitCode;
use std::time::Instant;

use seasonlink_matching::{Problem, solve, verify};

struct Instance {
    capacity: Vec<u32>,
    offsets: Vec<u64>,
    vacancy: Vec<u32>,
    score: Vec<u32>,
}

fn read_u64s(r: &mut impl Read, n: usize, what: &str) -> Result<Vec<u64>, String> {
    let mut out = Vec::with_capacity(n);
    let mut buf = vec![0u8; 1 << 20];
    while out.len() < n {
        let take = ((n - out.len()) * 8).min(buf.len());
        r.read_exact(&mut buf[..take]).map_err(|e| format!("reading {what}: {e}"))?;
        out.extend(
            buf[..take]
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
        );
    }
    Ok(out)
}

fn read_u32s(r: &mut impl Read, n: usize, what: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::with_capacity(n);
    let mut buf = vec![0u8; 1 << 20];
    while out.len() < n {
        let take = ((n - out.len()) * 4).min(buf.len());
        r.read_exact(&mut buf[..take]).map_err(|e| format!("reading {what}: {e}"))?;
        out.extend(buf[..take].chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    Ok(out)
}

fn read_instance(path: &str) -> Result<Instance, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
    let mut r = BufReader::new(file);
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic).map_err(|_| format!("{path}: too short for an SLMINST1 header"))?;
    if &magic != b"SLMINST1" {
        return Err(format!("{path}: not an SLMINST1 file (bad magic)"));
    }
    let head = read_u64s(&mut r, 3, "header").map_err(|e| format!("{path}: {e}"))?;
    let (w, v, e) = (head[0], head[1], head[2]);
    let expected = w
        .checked_add(1)
        .and_then(|o| o.checked_mul(8))
        .and_then(|o| v.checked_mul(4).and_then(|c| c.checked_add(o)))
        .and_then(|x| e.checked_mul(8).and_then(|y| y.checked_add(x)))
        .and_then(|x| x.checked_add(32));
    if expected != Some(len) {
        return Err(format!(
            "{path}: header says {w} workers, {v} vacancies, {e} edges, which does not match the \
             file size {len}"
        ));
    }
    let size = |x: u64| usize::try_from(x).map_err(|_| format!("{path}: too large for this machine"));
    let (w, v, e) = (size(w)?, size(v)?, size(e)?);
    let at = |e: String| format!("{path}: {e}");
    let capacity = read_u32s(&mut r, v, "capacities").map_err(at)?;
    let offsets = read_u64s(&mut r, w + 1, "offsets").map_err(at)?;
    let vacancy = read_u32s(&mut r, e, "edge vacancies").map_err(at)?;
    let score = read_u32s(&mut r, e, "edge scores").map_err(at)?;
    Ok(Instance { capacity, offsets, vacancy, score })
}

/// Peak resident set size in MiB (VmHWM), if /proc is available.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The physical floor: one pass over the score array, and one pass over all edges
/// computing each worker's best `score·s − price` (what one auction round costs).
fn floor(inst: &Instance) -> String {
    let t0 = Instant::now();
    let sum: u64 = inst.score.iter().map(|&a| u64::from(a)).sum();
    let sum_s = t0.elapsed().as_secs_f64();
    let price: Vec<i64> = (0..inst.capacity.len() as i64).map(|j| j * 7919 % 1000).collect();
    let s = inst.offsets.len() as i64;
    let t1 = Instant::now();
    let mut total = 0i64;
    for w in inst.offsets.windows(2) {
        let (lo, hi) = (w[0] as usize, w[1] as usize);
        let best = inst.vacancy[lo..hi]
            .iter()
            .zip(&inst.score[lo..hi])
            .map(|(&v, &a)| i64::from(a) * s - price[v as usize])
            .fold(0, i64::max);
        total = total.wrapping_add(best);
    }
    let scan_s = t1.elapsed().as_secs_f64();
    format!("floor_sum_s={sum_s:.4} floor_scan_s={scan_s:.4} (checksums {sum} {total})")
}

fn run() -> Result<(), (u8, String)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = !args.iter().any(|a| a == "--no-verify");
    let want_floor = args.iter().any(|a| a == "--floor");
    let auction_only = args.iter().any(|a| a == "--auction-only");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [path] = files.as_slice() else {
        return Err((
            2,
            "usage: seasonlink-match INSTANCE [--no-verify] [--floor] [--auction-only]".to_owned(),
        ));
    };
    const OPTIONS: [&str; 3] = ["--no-verify", "--floor", "--auction-only"];
    if let Some(bad) = args.iter().find(|a| a.starts_with("--") && !OPTIONS.contains(&a.as_str())) {
        return Err((2, format!("unknown option {bad}")));
    }
    let inst = read_instance(path).map_err(|m| (1, m))?;
    if want_floor {
        eprintln!("{}", floor(&inst));
    }
    let problem = Problem::new(&inst.capacity, &inst.offsets, &inst.vacancy, &inst.score)
        .map_err(|e| (1, format!("{path}: invalid instance: {e}")))?;
    let t0 = Instant::now();
    let m = if auction_only {
        seasonlink_matching::testing::solve_auction_only(&problem)
    } else {
        solve(&problem)
    };
    let solve_s = t0.elapsed().as_secs_f64();
    let mut line = format!("objective={} placed={} solve_s={solve_s:.3}", m.objective, m.placed);
    if check {
        let t1 = Instant::now();
        let verified = verify(&problem, &m.assignment, &m.duals)
            .map_err(|e| (3, format!("{path}: optimality check failed: {e}")))?;
        if verified != m.objective {
            return Err((3, format!("{path}: verified objective {verified} ≠ {}", m.objective)));
        }
        line.push_str(&format!(" verify_s={:.3}", t1.elapsed().as_secs_f64()));
    }
    if let Some(mb) = peak_rss_mb() {
        line.push_str(&format!(" peak_rss_mb={mb:.0}"));
    }
    println!("{line}");
    let st = &m.stats;
    eprintln!(
        "phases={} bids={} scans={} reverse_steps={} transposes={} integer_certificate={}",
        st.phases, st.bids, st.scans, st.reverse_steps, st.transposes, st.early_certificate
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            eprintln!("seasonlink-match: {msg}");
            ExitCode::from(code)
        }
    }
}
