//! The yardstick of `bench/generate.sh`: a bare `serde_json` parse of a file into a
//! `serde_json::Value`, timed in-process (read time excluded). Prints the seconds.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_json <file>");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    };
    let start = std::time::Instant::now();
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(v) => {
            let secs = start.elapsed().as_secs_f64();
            // Keep the value alive until timed.
            drop(v);
            println!("{secs:.3}");
        }
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    }
}
