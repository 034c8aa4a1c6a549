//! The load driver's scenarios, briefly, on SQLite: every call succeeds and each scenario gets calls through.

use std::time::Duration;

use jamaa_benches::{Backend, Config, Scenario};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_runs_without_errors() -> anyhow::Result<()> {
    let config = Config {
        backend: Backend::Sqlite,
        concurrency: 2,
        duration: Duration::from_millis(1000),
        requests: 10,
        communes: 1,
        max_connections: 4,
    };
    let report = jamaa_benches::run(&config).await?;
    assert_eq!(report.errors(), 0, "{:?}\n{}", report.failures(), report.markdown());
    assert_eq!(report.seeded, 10);
    for rows in [&report.over_http, &report.direct] {
        let scenarios: Vec<Scenario> = rows.iter().map(|row| row.scenario).collect();
        assert_eq!(scenarios, Scenario::ALL);
        for row in rows {
            assert!(row.measurement.ok > 0, "{} got no call through", row.scenario.name());
            assert!(row.measurement.quantile_ms(0.5) > 0.0);
        }
    }
    let markdown = report.markdown();
    assert!(markdown.contains("| submitRequest | 2 |"), "{markdown}");
    assert!(markdown.contains("one connection (writes serialized)"), "{markdown}");
    Ok(())
}
