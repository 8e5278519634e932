//! What the twins cost, for `GAZETTE_TWIN_COST=1 gazette build` (docs/performance.md
//! "Script variants"): the CPU time (user + system, summed over the rayon workers) spent
//! converting and writing the twins, beside the CPU time of the render stage's parts, so
//! the conversion can be set against the rendering it doubles.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Whether the costs are counted and printed (the environment variable is set).
pub fn wanted() -> bool {
    std::env::var_os("GAZETTE_TWIN_COST").is_some()
}

/// CPU time of the calling thread (`RUSAGE_THREAD`) or the whole process (`RUSAGE_SELF`).
fn cpu(who: libc::c_int) -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(who, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

pub fn thread_cpu() -> Duration {
    cpu(libc::RUSAGE_THREAD)
}

pub fn process_cpu() -> Duration {
    cpu(libc::RUSAGE_SELF)
}

/// CPU time added up from many threads.
#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn add(&self, d: Duration) {
        self.0.fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn get(&self) -> Duration {
        Duration::from_micros(self.0.load(Ordering::Relaxed))
    }
}

/// The render stage's parts, each as process CPU time, and the twins' share of each.
#[derive(Default)]
pub struct Report {
    parts: Vec<(&'static str, Duration, Duration)>,
}

impl Report {
    /// Runs one part of the render stage and notes its CPU time and what of it the twins
    /// (`twins`, counted by the sink) took.
    pub fn part<T>(&mut self, name: &'static str, twins: &Counter, f: impl FnOnce() -> T) -> T {
        let (cpu, twin) = (process_cpu(), twins.get());
        let out = f();
        self.parts.push((name, process_cpu().saturating_sub(cpu), twins.get().saturating_sub(twin)));
        out
    }

    /// Prints a table to stderr: part, CPU without the twins, the twins' CPU, in ms.
    pub fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!("twin cost (CPU ms, user + system, all threads): part / without twins / twins");
        let (mut own, mut twins) = (Duration::ZERO, Duration::ZERO);
        for (name, cpu, twin) in &self.parts {
            let mine = cpu.saturating_sub(*twin);
            eprintln!("  {name:<12} {:>9.0} {:>9.0}", ms(mine), ms(*twin));
            own += mine;
            twins += *twin;
        }
        eprintln!("  {:<12} {:>9.0} {:>9.0}", "render stage", ms(own), ms(twins));
    }
}
