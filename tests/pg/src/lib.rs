//! A throwaway PostgreSQL server for tests, started from the machine's PostgreSQL binaries: no Docker, no network.
//!
//! [`PgServer::start`] puts a data directory in a fresh temporary directory and starts `postgres` on a free port of
//! 127.0.0.1 (and on a unix socket in that temporary directory), tuned for tests: no fsync, no synchronous commit, no
//! full-page writes. Dropping the [`PgServer`] stops the server (`pg_ctl stop -m immediate`) and removes the directory.
//! [`PgServer::create_database`] makes a database the way production does: owned by the non-superuser role
//! `jamaa_owner` (migrations), used by the non-superuser role `jamaa_app` (the application), which cannot create
//! objects in schema `public`. Authentication is `trust`: the URLs carry no password.
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! let server = jamaa_pg::PgServer::start()?;
//! let db = server.create_database("requests")?;
//! assert_eq!(server.psql("requests", "select 1")?, "1");
//! // connect with db.owner_url to migrate, with db.app_url to run the application's queries
//! # Ok(())
//! # }
//! ```
//!
//! # One server per test run
//!
//! [`PgServer::for_tests`] is what the end-to-end tests use: under cargo-nextest, which runs each test in its own
//! process, the first test that asks starts the run's server (in `<temp dir>/jamaa-pg-run-<NEXTEST_RUN_ID>`, under
//! a lock file) and the others attach to it; a watchdog stops it and removes its directory when the cargo-nextest
//! process ends. Each test then works in a database of its own (`TestApp` clones a migrated template database with
//! [`PgServer::clone_database`] and drops it when the test ends). Run any other way (`cargo test`), it is a server
//! of its own, as [`PgServer::start`].
//!
//! # Which PostgreSQL
//!
//! 1. `JAMAA_PG_BIN`, a directory holding `initdb`, `pg_ctl` and `postgres`. When it is set but does not hold them,
//!    that is an error, not a reason to look elsewhere.
//! 2. `pg_ctl` on `PATH`; symbolic links are followed, so that `initdb`, `postgres` and `psql` come from the same
//!    installation.
//! 3. The highest version in `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package).
//!
//! Otherwise [`PgServer::start`] returns an error that says how to install PostgreSQL: a test that needs it fails,
//! it is never skipped. `scripts/install-test-deps` installs it. `psql` is taken from the same directory, or else
//! from `PATH`.
//!
//! # Running as root
//!
//! PostgreSQL refuses to run as root. When the tests run as root, `initdb`, `pg_ctl` and the server run as the user
//! `postgres` (`nobody` where there is no such user) through `runuser`; the temporary directory belongs to that
//! user, and the directories above it must be searchable by others (the default, `/tmp`, is). `psql` runs as the
//! current user and connects over the unix socket.
//!
//! # Start-up time: the template data directory
//!
//! `initdb` takes 0.8 to 2 s on a 2-core machine, several times as long as starting the server (about 0.15 s), and
//! cargo-nextest runs each test in its own process. So `initdb` is timed: when it took more than half a second, the
//! fresh data directory is also kept, once per machine, as a template,
//! `<temp dir>/jamaa-pg-template-<PostgreSQL version>-<uid>` (`uid` is the user that owns the data directories), and
//! later servers copy it (`cp -a`, 0.1 to 0.4 s for its 28 MB; `initdb` makes 1 MB WAL segments to keep it small)
//! instead of running `initdb`. A whole `start` then takes about half a second. The template is written under an exclusive lock on `<template>.lock`, so that concurrent test processes
//! wait for the first one instead of all running `initdb`, and it is published by renaming a complete copy into
//! place, so a reader never sees it half written. It is never started: each server starts from its own copy. A
//! template without `PG_VERSION` or `global/pg_control` is removed and made again.
//!
//! # Cleanup
//!
//! Drop stops the server and removes its directory; that is also the case when a test panics. For a test process
//! that ends without dropping the server (killed, aborted, `std::process::exit`, or a server kept in a `static`),
//! each server has a watchdog: a `sh` process that waits on a pipe from the test process. When the pipe closes
//! without Drop having dismissed the watchdog, that is, when the test process is gone, the watchdog stops the server
//! and removes the directory. Only `SIGKILL` of the watchdog itself (for instance of the whole process group) can
//! leave a directory behind; the server then dies with the same signal when it is in that process group.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Permissions};
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use std::{env, thread};

use anyhow::{Context, Result, anyhow, bail};
use tempfile::TempDir;

/// What to do when no PostgreSQL is found.
const INSTALL_HINT: &str = "install PostgreSQL's server (Debian, Ubuntu: `apt-get install postgresql`, which \
`./scripts/install-test-deps` runs) or set JAMAA_PG_BIN to the directory that holds initdb, pg_ctl and postgres";

/// Where Debian's `postgresql` package puts one directory per major version.
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// An `initdb` slower than this makes a template data directory worth keeping: copying one takes 0.1 to 0.4 s.
const SLOW_INITDB: Duration = Duration::from_millis(500);

/// How many ports `start` tries before it gives up.
const START_ATTEMPTS: usize = 3;

/// The programs a server directory must hold.
const SERVER_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// The role that owns each database made by [`PgServer::create_database`] and runs the migrations.
pub const OWNER_ROLE: &str = "jamaa_owner";
/// The role the application connects as.
pub const APP_ROLE: &str = "jamaa_app";
/// The bootstrap superuser.
pub const SUPERUSER: &str = "postgres";

/// A PostgreSQL server of its own, in a temporary directory, for one test (or one test process).
///
/// Listens on `127.0.0.1:<port>` and on a unix socket in [`PgServer::socket_dir`]; every role is trusted, no
/// password. Dropping it stops the server and removes its directory.
#[derive(Debug)]
pub struct PgServer {
    bin_dir: PathBuf,
    psql: Option<PathBuf>,
    runner: Runner,
    port: u16,
    watchdog: Option<Watchdog>,
    roles_created: Mutex<bool>,
    // Last, so that it is removed after the server has stopped.
    dir: ServerDir,
}

/// Where a server lives, and so who stops it.
#[derive(Debug)]
enum ServerDir {
    /// A server of this [`PgServer`]: dropping it stops the server and removes the directory.
    Own(TempDir),
    /// The server of a cargo-nextest run ([`PgServer::for_tests`]): its watchdog stops it and removes the
    /// directory when the run ends; dropping a [`PgServer`] leaves it running.
    Run(PathBuf),
}

impl ServerDir {
    fn path(&self) -> &Path {
        match self {
            ServerDir::Own(dir) => dir.path(),
            ServerDir::Run(dir) => dir,
        }
    }
}

/// The URLs of a database made by [`PgServer::create_database`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgDatabase {
    /// The database's name.
    pub name: String,
    /// As `jamaa_owner`, who owns the database and its schema `public`: for migrations.
    pub owner_url: String,
    /// As `jamaa_app`: no superuser, cannot bypass row-level security, cannot create objects in schema `public`.
    pub app_url: String,
    /// As the superuser `postgres`.
    pub superuser_url: String,
}

impl PgServer {
    /// Starts a new server: finds the PostgreSQL binaries, makes a data directory and starts `postgres` on a free
    /// port of 127.0.0.1. Fails, saying how to install PostgreSQL, when it is not on this machine.
    pub fn start() -> Result<PgServer> {
        let path = env::var_os("PATH");
        let bin_dir = locate_bin_dir(env::var_os("JAMAA_PG_BIN").as_deref(), path.as_deref(), Path::new(DEBIAN_ROOT))?;
        let psql = Some(bin_dir.join("psql")).filter(|p| is_executable(p)).or_else(|| which("psql", path.as_deref()));
        let runner = Runner::detect(path.as_deref())?;
        let version = server_version(&bin_dir)?;

        let temp = env::temp_dir();
        if let Runner::As { user, .. } = &runner {
            check_searchable(&temp, user)?;
        }
        let dir = tempfile::Builder::new()
            .prefix("jamaa-pg-")
            .tempdir_in(&temp)
            .with_context(|| format!("cannot make a temporary directory in {}", temp.display()))?;
        if dir.path().to_string_lossy().contains(['\'', '"', '\\']) {
            bail!("the temporary directory {} has a quote or backslash in its path; set TMPDIR", dir.path().display());
        }
        fs::set_permissions(dir.path(), Permissions::from_mode(0o755))
            .with_context(|| format!("cannot chmod {}", dir.path().display()))?;
        runner.chown(dir.path())?;

        let mut server = PgServer {
            bin_dir,
            psql,
            runner,
            port: 0,
            watchdog: None,
            roles_created: Mutex::new(false),
            dir: ServerDir::Own(dir),
        };
        // From here on, Drop (or, if this process dies, the watchdog) cleans up.
        server.watchdog = Some(Watchdog::spawn(&server)?);
        init_data_dir(&server.bin_dir, &server.runner, &version, &temp, &server.data_dir())?;
        server.start_on_a_free_port()?;
        Ok(server)
    }

    /// The server the tests of this run share. Under cargo-nextest (which runs each test in its own process and
    /// tells it the run's id in `NEXTEST_RUN_ID`), the first test that asks starts one server for the whole run, in
    /// `<temp dir>/jamaa-pg-run-<run id>`, under an exclusive lock on `<that directory>.lock`; the others find its
    /// port there. A watchdog stops that server and removes its directory when the cargo-nextest process ends, so
    /// no server outlives the run. Elsewhere (`cargo test`, a program of its own), a server of its own, as
    /// [`PgServer::start`]. Either way, a server that does not start is an error.
    pub fn for_tests() -> Result<PgServer> {
        match env::var("NEXTEST_RUN_ID") {
            Ok(run_id) if !run_id.is_empty() => PgServer::for_run(&run_id),
            _ => PgServer::start(),
        }
    }

    fn for_run(run_id: &str) -> Result<PgServer> {
        if !run_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            bail!("NEXTEST_RUN_ID {run_id:?} is not a run id");
        }
        let path = env::var_os("PATH");
        let bin_dir = locate_bin_dir(env::var_os("JAMAA_PG_BIN").as_deref(), path.as_deref(), Path::new(DEBIAN_ROOT))?;
        let psql = Some(bin_dir.join("psql")).filter(|p| is_executable(p)).or_else(|| which("psql", path.as_deref()));
        let runner = Runner::detect(path.as_deref())?;
        let temp = env::temp_dir();
        if temp.to_string_lossy().contains(['\'', '"', '\\']) {
            bail!("the temporary directory {} has a quote or backslash in its path; set TMPDIR", temp.display());
        }
        let dir = temp.join(format!("jamaa-pg-run-{run_id}"));
        let lock_path = temp.join(format!("jamaa-pg-run-{run_id}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open {}", lock_path.display()))?;
        lock.lock().with_context(|| format!("cannot lock {}", lock_path.display()))?;
        let port_file = dir.join("port");
        let mut server = PgServer {
            bin_dir,
            psql,
            runner,
            port: 0,
            watchdog: None,
            roles_created: Mutex::new(false),
            dir: ServerDir::Run(dir.clone()),
        };
        if let Ok(port) = fs::read_to_string(&port_file) {
            server.port = port.trim().parse().with_context(|| format!("{} holds no port", port_file.display()))?;
            *server.roles_created.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
            return Ok(server);
        }
        if let Runner::As { user, .. } = &server.runner {
            check_searchable(&temp, user)?;
        }
        // Left by a test that failed while starting the server: start again.
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
        fs::set_permissions(&dir, Permissions::from_mode(0o755))
            .with_context(|| format!("cannot chmod {}", dir.display()))?;
        server.runner.chown(&dir)?;
        // From here on, the watchdog cleans up when the run ends, whether or not the server starts.
        Watchdog::spawn_for_run(&server, std::os::unix::process::parent_id(), &lock_path)?;
        let version = server_version(&server.bin_dir)?;
        init_data_dir(&server.bin_dir, &server.runner, &version, &temp, &server.data_dir())?;
        server.start_on_a_free_port()?;
        server.create_roles()?;
        let staged = dir.join("port.new");
        fs::write(&staged, server.port.to_string()).with_context(|| format!("cannot write {}", staged.display()))?;
        fs::rename(&staged, &port_file).with_context(|| format!("cannot write {}", port_file.display()))?;
        drop(lock);
        Ok(server)
    }

    fn start_on_a_free_port(&mut self) -> Result<()> {
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            self.port = free_port()?;
            match self.pg_ctl_start() {
                Ok(()) => return Ok(()),
                Err(error) => {
                    failures.push(format!("port {}: {error:#}", self.port));
                    self.pg_ctl_stop();
                }
            }
        }
        bail!("PostgreSQL did not start ({} attempts):\n{}", START_ATTEMPTS, failures.join("\n"))
    }

    /// Stops this server (`pg_ctl stop -m fast`: its connections are closed), keeping its data directory, so that
    /// [`PgServer::restart`] brings it back on the same port: for tests of a database that goes away. Not for the
    /// run's shared server.
    pub fn stop_for_a_while(&self) -> Result<()> {
        if self.is_shared() {
            bail!("the run's shared server is not to be stopped");
        }
        let output =
            self.pg_ctl().args(["-m", "fast", "-w", "-t", "60", "stop"]).output().context("cannot run pg_ctl")?;
        if !output.status.success() {
            bail!("pg_ctl stop failed ({}): {}", output.status, stderr(&output));
        }
        Ok(())
    }

    /// Starts again, on the same port, a server stopped by [`PgServer::stop_for_a_while`].
    pub fn restart(&self) -> Result<()> {
        self.pg_ctl_start()
    }

    /// Whether this is the server of a whole test run, which outlives this value (see [`PgServer::for_tests`]).
    pub fn is_shared(&self) -> bool {
        matches!(self.dir, ServerDir::Run(_))
    }

    /// Takes an exclusive lock, across processes, named `name` (letters, digits, `-` and `_`) on this server, for
    /// as long as the returned file is open: for instance while one test process makes a template database that
    /// the others wait for.
    pub fn lock(&self, name: &str) -> Result<File> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            bail!("{name:?} is not a lock name");
        }
        let path = self.socket_dir().join(format!("{name}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        file.lock().with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(file)
    }

    /// The TCP port, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of the server's unix socket (`psql -h <socket_dir> -p <port>`).
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.path().join("postgres.log")
    }

    /// The directory of the PostgreSQL binaries in use.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// `postgres://<role>@127.0.0.1:<port>/<database>`.
    pub fn url(&self, role: &str, database: &str) -> String {
        format!("postgres://{role}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates the database `name` (lower-case letters, digits and `_`, not starting with a digit, at most 63
    /// bytes), owned by `jamaa_owner`; `PUBLIC` may not create in its schema `public`, `jamaa_app` may use it. The
    /// roles `jamaa_owner` and `jamaa_app` are made with the first database.
    pub fn create_database(&self, name: &str) -> Result<PgDatabase> {
        check_identifier(name)?;
        self.create_roles()?;
        self.psql(
            "postgres",
            &format!(
                "CREATE DATABASE \"{name}\" OWNER {OWNER_ROLE};\n\
                 \\connect \"{name}\"\n\
                 REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n\
                 GRANT USAGE ON SCHEMA public TO {APP_ROLE};\n"
            ),
        )
        .with_context(|| format!("cannot create the database {name}"))?;
        Ok(self.database(name))
    }

    /// Creates the database `name` as a copy of the database `template` (`CREATE DATABASE … TEMPLATE …`), owned
    /// by `jamaa_owner` like the template: its tables, policies and grants, so a template made by
    /// [`PgServer::create_database`] and then migrated gives each test a migrated database in a few milliseconds.
    /// Nothing may be connected to `template` meanwhile.
    pub fn clone_database(&self, template: &str, name: &str) -> Result<PgDatabase> {
        check_identifier(template)?;
        check_identifier(name)?;
        self.create_roles()?;
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" OWNER {OWNER_ROLE};"))
            .with_context(|| format!("cannot create the database {name} from {template}"))?;
        Ok(self.database(name))
    }

    /// Drops the database `name`, closing its connections first.
    pub fn drop_database(&self, name: &str) -> Result<()> {
        check_identifier(name)?;
        self.psql("postgres", &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);"))
            .with_context(|| format!("cannot drop the database {name}"))?;
        Ok(())
    }

    fn database(&self, name: &str) -> PgDatabase {
        PgDatabase {
            name: name.to_owned(),
            owner_url: self.url(OWNER_ROLE, name),
            app_url: self.url(APP_ROLE, name),
            superuser_url: self.url(SUPERUSER, name),
        }
    }

    /// Runs `sql` (one or more statements, or psql meta-commands) as the superuser in `database`, stopping at the
    /// first error, and returns what psql printed, unaligned and without headers (`psql -At`): one line per row,
    /// columns separated by `|`, without the last newline.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String> {
        self.psql_as(SUPERUSER, database, sql)
    }

    /// [`PgServer::psql`] connected as `role` (which must have `LOGIN`).
    pub fn psql_as(&self, role: &str, database: &str, sql: &str) -> Result<String> {
        let psql = self
            .psql
            .as_deref()
            .ok_or_else(|| anyhow!("psql is neither in {} nor on PATH; {INSTALL_HINT}", self.bin_dir.display()))?;
        let mut child = Command::new(psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-U", role, "-d", database, "-f", "-"])
            .env("PGCONNECT_TIMEOUT", "10")
            .env("PGAPPNAME", "jamaa-tests")
            .env_remove("PGSERVICE")
            .env_remove("PGOPTIONS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {}", psql.display()))?;
        let stdin = child.stdin.take();
        let output = thread::scope(|scope| {
            scope.spawn(move || {
                if let Some(mut stdin) = stdin {
                    // psql stops reading at the first error; what it did not read does not matter.
                    let _ = stdin.write_all(sql.as_bytes());
                }
            });
            child.wait_with_output()
        })
        .with_context(|| format!("cannot run {}", psql.display()))?;
        if !output.status.success() {
            bail!(
                "psql as {role} on {database} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let mut stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        while stdout.ends_with('\n') {
            stdout.pop();
        }
        Ok(stdout)
    }

    fn create_roles(&self) -> Result<()> {
        let mut created = self.roles_created.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !*created {
            self.psql(
                "postgres",
                &format!(
                    "BEGIN;\n\
                     CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;\n\
                     CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;\n\
                     COMMIT;\n"
                ),
            )
            .context("cannot create the roles")?;
            *created = true;
        }
        Ok(())
    }

    fn pg_ctl(&self) -> Command {
        let mut command = self.runner.command(&self.bin_dir.join("pg_ctl"));
        command.arg("-D").arg(self.data_dir()).current_dir(self.dir.path()).stdin(Stdio::null());
        if self.is_shared() {
            // Out of the test's process group, which cargo-nextest may signal when the test ends.
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
        }
        command
    }

    fn pg_ctl_start(&self) -> Result<()> {
        let options = format!(
            "-k '{}' -h 127.0.0.1 -p {} -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200",
            self.socket_dir().display(),
            self.port
        );
        let output = self
            .pg_ctl()
            .arg("-l")
            .arg(self.log_file())
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .output()
            .context("cannot run pg_ctl")?;
        if !output.status.success() {
            bail!("pg_ctl start failed ({}): {}\nserver log:\n{}", output.status, stderr(&output), self.log_tail());
        }
        Ok(())
    }

    fn pg_ctl_stop(&self) {
        let _ =
            self.pg_ctl().args(["-m", "immediate", "-w", "stop"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.log_file()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if self.is_shared() {
            return;
        }
        self.pg_ctl_stop();
        if let Some(watchdog) = self.watchdog.take() {
            watchdog.dismiss();
        }
        // `dir` is removed when the fields are dropped, after this.
    }
}

/// Who runs `initdb`, `pg_ctl` and so the server.
#[derive(Debug, Clone)]
enum Runner {
    /// The current user, who is not root.
    Current { uid: u32 },
    /// Another user, through `runuser`, because the current user is root.
    As { runuser: PathBuf, user: String, uid: u32, gid: u32 },
}

impl Runner {
    fn detect(path: Option<&OsStr>) -> Result<Runner> {
        let uid = effective_uid()?;
        if uid != 0 {
            return Ok(Runner::Current { uid });
        }
        let (user, uid, gid) = match lookup_user("postgres")? {
            Some(found) => found,
            None => lookup_user("nobody")?
                .ok_or_else(|| anyhow!("running as root, and there is neither a `postgres` nor a `nobody` user"))?,
        };
        let runuser = which("runuser", path)
            .or_else(|| {
                ["/usr/sbin/runuser", "/sbin/runuser"].map(PathBuf::from).into_iter().find(|p| is_executable(p))
            })
            .ok_or_else(|| {
                anyhow!("running as root, PostgreSQL must run as {user} through `runuser` (util-linux), not found")
            })?;
        Ok(Runner::As { runuser, user, uid, gid })
    }

    /// The user that owns the data directories.
    fn uid(&self) -> u32 {
        match self {
            Runner::Current { uid } | Runner::As { uid, .. } => *uid,
        }
    }

    fn command(&self, program: &Path) -> Command {
        match self {
            Runner::Current { .. } => Command::new(program),
            Runner::As { runuser, user, .. } => {
                let mut command = Command::new(runuser);
                command.args(["-u", user, "--"]).arg(program);
                command
            }
        }
    }

    /// The program and arguments that run `program` as this user, for the watchdog.
    fn argv(&self, program: &Path) -> Vec<OsString> {
        match self {
            Runner::Current { .. } => vec![program.into()],
            Runner::As { runuser, user, .. } => {
                vec![runuser.into(), "-u".into(), user.into(), "--".into(), program.into()]
            }
        }
    }

    fn chown(&self, path: &Path) -> Result<()> {
        if let Runner::As { user, uid, gid, .. } = self {
            std::os::unix::fs::chown(path, Some(*uid), Some(*gid))
                .with_context(|| format!("cannot give {} to {user}", path.display()))?;
        }
        Ok(())
    }
}

/// A `sh` process that stops the server and removes its directory when the test process is gone without having
/// dismissed it: it waits for a line on a pipe whose only writer is this process.
#[derive(Debug)]
struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
}

/// The watchdog: exits on a line, else (end of file: the test process is gone) runs its stop command and removes
/// the server's directory. Signals sent to the test's process group do not stop it before it has done so.
const WATCHDOG_SCRIPT: &str = "trap '' HUP INT TERM PIPE
read -r line && exit 0
dir=$1
shift
\"$@\" >/dev/null 2>&1
rm -rf \"$dir\"
";

/// The watchdog of a run's server: waits for the process `$1` (cargo-nextest) to end, then runs its stop command
/// and removes the server's directory `$2` and lock file `$3`.
const RUN_WATCHDOG_SCRIPT: &str = "trap '' HUP INT TERM PIPE
pid=$1
dir=$2
lock=$3
shift 3
while kill -0 \"$pid\" 2>/dev/null; do sleep 0.2; done
\"$@\" >/dev/null 2>&1
rm -rf \"$dir\" \"$lock\"
";

impl Watchdog {
    fn spawn(server: &PgServer) -> Result<Watchdog> {
        let mut stop = server.runner.argv(&server.bin_dir.join("pg_ctl"));
        stop.extend(["-D".into(), server.data_dir().into(), "-m".into(), "immediate".into(), "-w".into()]);
        stop.push("stop".into());
        let mut child = Command::new("/bin/sh")
            .args(["-c", WATCHDOG_SCRIPT, "jamaa-pg-watchdog"])
            .arg(server.dir.path())
            .args(stop)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start the server's watchdog (/bin/sh)")?;
        let stdin = child.stdin.take();
        Ok(Watchdog { child, stdin })
    }

    /// Starts the watchdog of a run's server, which outlives this process and stops the server when `pid` ends.
    fn spawn_for_run(server: &PgServer, pid: u32, lock: &Path) -> Result<()> {
        let mut stop = server.runner.argv(&server.bin_dir.join("pg_ctl"));
        stop.extend(["-D".into(), server.data_dir().into(), "-m".into(), "immediate".into(), "-w".into()]);
        stop.push("stop".into());
        let mut command = Command::new("/bin/sh");
        command
            .args(["-c", RUN_WATCHDOG_SCRIPT, "jamaa-pg-run-watchdog"])
            .arg(pid.to_string())
            .arg(server.dir.path())
            .arg(lock)
            .args(stop)
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command.spawn().context("cannot start the run server's watchdog (/bin/sh)")?;
        Ok(())
    }

    /// Tells the watchdog that the server is taken care of, and waits for it to exit.
    fn dismiss(mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"done\n");
        }
        let _ = self.child.wait();
    }
}

/// Finds the directory of `initdb`, `pg_ctl` and `postgres`: `JAMAA_PG_BIN`, else `pg_ctl` on `PATH`, else the
/// highest `<debian_root>/<version>/bin`.
fn locate_bin_dir(env_bin: Option<&OsStr>, path: Option<&OsStr>, debian_root: &Path) -> Result<PathBuf> {
    if let Some(dir) = env_bin.filter(|dir| !dir.is_empty()) {
        let dir = PathBuf::from(dir);
        if holds_server(&dir) {
            return Ok(dir);
        }
        bail!(
            "JAMAA_PG_BIN is {}, which does not hold initdb, pg_ctl and postgres: point it at the bin directory of a \
             PostgreSQL installation, or unset it to use the system's PostgreSQL (Debian, Ubuntu: `apt-get install \
             postgresql`, which `./scripts/install-test-deps` runs)",
            dir.display()
        );
    }
    if let Some(pg_ctl) = which("pg_ctl", path) {
        let real = fs::canonicalize(&pg_ctl).ok().and_then(|real| real.parent().map(Path::to_path_buf));
        let found = pg_ctl.parent().map(Path::to_path_buf);
        if let Some(dir) = [real, found].into_iter().flatten().find(|dir| holds_server(dir)) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(debian_root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let version: Option<Vec<u32>> = name.to_str()?.split('.').map(|part| part.parse().ok()).collect();
            Some((version?, entry.path().join("bin")))
        })
        .filter(|(_, bin)| holds_server(bin))
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, dir)) => Ok(dir),
        None => bail!(
            "PostgreSQL's server was not found (JAMAA_PG_BIN is not set, pg_ctl is not on PATH, nothing in {}/*/bin): \
             {INSTALL_HINT}",
            debian_root.display()
        ),
    }
}

fn holds_server(dir: &Path) -> bool {
    SERVER_PROGRAMS.iter().all(|program| is_executable(&dir.join(program)))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

fn which(program: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    env::split_paths(path?).map(|dir| dir.join(program)).find(|candidate| is_executable(candidate))
}

/// The version `postgres --version` prints (`15.18` of `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`),
/// reduced to characters that are safe in a file name.
fn server_version(bin_dir: &Path) -> Result<String> {
    let postgres = bin_dir.join("postgres");
    let output = Command::new(&postgres)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", postgres.display()))?;
    if !output.status.success() {
        bail!("{} --version failed ({}): {}", postgres.display(), output.status, stderr(&output));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace();
    let version = words.by_ref().find(|word| *word == "(PostgreSQL)").and_then(|_| words.next()).unwrap_or(&text);
    Ok(version.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect())
}

fn effective_uid() -> Result<u32> {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(uid) = status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .and_then(|uid| uid.parse().ok())
    {
        return Ok(uid);
    }
    let output = Command::new("id").arg("-u").stdin(Stdio::null()).output().context("cannot run `id -u`")?;
    String::from_utf8_lossy(&output.stdout).trim().parse().context("cannot read the output of `id -u`")
}

/// `(name, uid, gid)` of a user, from `getent passwd`; `None` when there is no such user.
fn lookup_user(name: &str) -> Result<Option<(String, u32, u32)>> {
    let output =
        Command::new("getent").args(["passwd", name]).stdin(Stdio::null()).output().context("cannot run getent")?;
    if !output.status.success() {
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = line.trim().split(':').collect();
    match (fields.get(2).and_then(|uid| uid.parse().ok()), fields.get(3).and_then(|gid| gid.parse().ok())) {
        (Some(uid), Some(gid)) => Ok(Some((name.to_owned(), uid, gid))),
        _ => bail!("cannot read `getent passwd {name}`: {}", line.trim()),
    }
}

/// The server, running as `user`, must reach the temporary directory.
fn check_searchable(temp: &Path, user: &str) -> Result<()> {
    let temp = fs::canonicalize(temp).with_context(|| format!("cannot resolve {}", temp.display()))?;
    for dir in temp.ancestors() {
        let mode = fs::metadata(dir).with_context(|| format!("cannot stat {}", dir.display()))?.permissions().mode();
        if mode & 0o001 == 0 {
            bail!(
                "PostgreSQL runs as {user}, who cannot reach {} ({} is not searchable by others); set TMPDIR to a \
                 directory such as /tmp",
                temp.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// Makes the data directory `data`: a copy of the template when there is one, else `initdb` (which makes the
/// template when it was slow).
fn init_data_dir(bin_dir: &Path, runner: &Runner, version: &str, temp: &Path, data: &Path) -> Result<()> {
    let name = format!("jamaa-pg-template-{version}-{}", runner.uid());
    let template = temp.join(&name);
    if template_complete(&template) {
        return copy_dir(&template, data);
    }
    let lock_path = temp.join(format!("{name}.lock"));
    let lock = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .or_else(|_| File::open(&lock_path))
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    lock.lock().with_context(|| format!("cannot lock {}", lock_path.display()))?;
    if template_complete(&template) {
        drop(lock);
        return copy_dir(&template, data);
    }
    if template.exists() {
        // Left incomplete by something else than this module, which publishes templates whole: make it again.
        let _ = fs::remove_dir_all(&template);
    }
    let started = Instant::now();
    initdb(bin_dir, runner, data)?;
    if started.elapsed() > SLOW_INITDB
        && let Err(error) = publish_template(data, &template, temp)
    {
        // The server can start without it; the next one will try again.
        eprintln!("jamaa-tests: cannot keep {} as a template: {error:#}", template.display());
    }
    Ok(())
}

fn template_complete(template: &Path) -> bool {
    template.join("PG_VERSION").is_file() && template.join("global/pg_control").is_file()
}

fn initdb(bin_dir: &Path, runner: &Runner, data: &Path) -> Result<()> {
    let output = runner
        .command(&bin_dir.join("initdb"))
        .arg("-D")
        .arg(data)
        .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        // 1 MB WAL segments instead of 16: a third less to copy from the template.
        .arg("--wal-segsize=1")
        .current_dir(data.parent().unwrap_or(Path::new("/")))
        .stdin(Stdio::null())
        .output()
        .context("cannot run initdb")?;
    if !output.status.success() {
        bail!("initdb failed ({}): {}", output.status, stderr(&output));
    }
    Ok(())
}

/// Copies `data`, as yet never started, to a staging directory and renames it to `template`.
fn publish_template(data: &Path, template: &Path, temp: &Path) -> Result<()> {
    let stage = tempfile::Builder::new().prefix(".jamaa-pg-template-stage-").tempdir_in(temp)?;
    let staged = stage.path().join("data");
    copy_dir(data, &staged)?;
    if let Err(error) = fs::rename(&staged, template)
        && !template_complete(template)
    {
        return Err(error).with_context(|| format!("cannot rename {} to {}", staged.display(), template.display()));
    }
    Ok(())
}

/// `cp -a`: keeps the owner and the modes, which PostgreSQL checks.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let output =
        Command::new("cp").arg("-a").arg(from).arg(to).stdin(Stdio::null()).output().context("cannot run cp")?;
    if !output.status.success() {
        bail!("cp -a {} {} failed ({}): {}", from.display(), to.display(), output.status, stderr(&output));
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("cannot bind a port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// A plain SQL identifier, so that it needs no quoting beyond double quotes.
fn check_identifier(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        bail!("{name:?} is not a database name this harness makes: use a-z, 0-9 and _, not starting with a digit");
    }
    Ok(())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_server_dir(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        for program in SERVER_PROGRAMS {
            let path = dir.join(program);
            fs::write(&path, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&path, Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn jamaa_pg_bin_without_server_is_an_error_not_a_fallback() {
        let root = tempfile::tempdir().unwrap();
        let debian = root.path().join("debian");
        fake_server_dir(&debian.join("15/bin"));
        let error = locate_bin_dir(Some(OsStr::new("/nonexistent")), None, &debian).unwrap_err().to_string();
        assert!(error.contains("JAMAA_PG_BIN is /nonexistent"), "{error}");
        assert!(error.contains("apt-get install postgresql"), "{error}");
    }

    #[test]
    fn jamaa_pg_bin_comes_first() {
        let root = tempfile::tempdir().unwrap();
        let own = root.path().join("own");
        fake_server_dir(&own);
        let on_path = root.path().join("path");
        fake_server_dir(&on_path);
        let path = on_path.into_os_string();
        assert_eq!(locate_bin_dir(Some(own.as_os_str()), Some(&path), root.path()).unwrap(), own);
    }

    #[test]
    fn pg_ctl_on_path_resolves_symlinks() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("lib/16/bin");
        fake_server_dir(&real);
        let links = root.path().join("bin");
        fs::create_dir_all(&links).unwrap();
        std::os::unix::fs::symlink(real.join("pg_ctl"), links.join("pg_ctl")).unwrap();
        let found = locate_bin_dir(None, Some(links.as_os_str()), &root.path().join("none")).unwrap();
        assert_eq!(found, fs::canonicalize(&real).unwrap());
    }

    #[test]
    fn highest_debian_version_wins() {
        let root = tempfile::tempdir().unwrap();
        for version in ["9.6", "15", "13", "notaversion"] {
            fake_server_dir(&root.path().join(version).join("bin"));
        }
        fs::create_dir_all(root.path().join("17/bin")).unwrap(); // a client-only installation
        let found = locate_bin_dir(None, Some(OsStr::new("")), root.path()).unwrap();
        assert_eq!(found, root.path().join("15/bin"));
    }

    #[test]
    fn nothing_found_says_how_to_install() {
        let root = tempfile::tempdir().unwrap();
        let error = locate_bin_dir(None, Some(root.path().as_os_str()), &root.path().join("none")).unwrap_err();
        assert!(error.to_string().contains("apt-get install postgresql"), "{error}");
    }

    #[test]
    fn a_server_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<PgServer>();
    }

    #[test]
    fn database_names_are_plain_identifiers() {
        assert!(check_identifier("jamaa_test_1").is_ok());
        for bad in ["", "1db", "Db", "a-b", "a\"b", &"x".repeat(64)] {
            assert!(check_identifier(bad).is_err(), "{bad}");
        }
    }
}
