//! What the figures were measured on, read from `/proc` where there is one.

use std::fs;

/// The machine a run measured.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    /// The CPUs this process may use (`nproc`).
    pub cpus: usize,
    pub cpu_model: Option<String>,
    pub memory_gib: Option<f64>,
    /// `Linux 6.1.0`.
    pub kernel: Option<String>,
    /// The 1, 5 and 15 minute load averages when the run started: other work on the machine.
    pub load_average: Option<String>,
    /// `release` or `debug`.
    pub profile: &'static str,
}

impl Machine {
    pub fn probe() -> Self {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Self {
            cpus: std::thread::available_parallelism().map(usize::from).unwrap_or(1),
            cpu_model: cpuinfo
                .lines()
                .find_map(|line| line.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, model)| model.trim().to_owned()),
            memory_gib: meminfo
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map(|kib| kib / (1024.0 * 1024.0)),
            kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
                .ok()
                .map(|release| format!("{} {}", std::env::consts::OS, release.trim())),
            load_average: fs::read_to_string("/proc/loadavg")
                .ok()
                .map(|load| load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
            profile: if cfg!(debug_assertions) { "debug" } else { "release" },
        }
    }

    /// `2 CPUs (Intel Xeon …), 23.4 GiB, linux 6.1.0`.
    pub fn describe(&self) -> String {
        let mut text = format!("{} CPU{}", self.cpus, if self.cpus == 1 { "" } else { "s" });
        if let Some(model) = &self.cpu_model {
            text.push_str(&format!(" ({model})"));
        }
        if let Some(memory) = self.memory_gib {
            text.push_str(&format!(", {memory:.1} GiB RAM"));
        }
        if let Some(kernel) = &self.kernel {
            text.push_str(&format!(", {kernel}"));
        }
        text
    }
}
