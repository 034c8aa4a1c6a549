//! The committed SDL (`graphql/schema.graphql`) is the schema the code serves: this test fails on drift.

#[test]
fn committed_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let current = jamaa_graphql::schema::sdl();
    assert!(
        committed == current,
        "graphql/schema.graphql is out of date: run `cargo run --bin jamaa -- schema > graphql/schema.graphql` and commit it"
    );
}

#[test]
fn every_operation_of_the_contract_is_served() {
    let sdl = jamaa_graphql::schema::sdl();
    for operation in [
        "communes(",
        "commune(",
        "services(",
        "service(",
        "trackRequest(",
        "requests(",
        "request(",
        "auditVerify(",
        "submitRequest(",
        "actOnRequest(",
    ] {
        assert!(sdl.contains(operation), "{operation} is missing from the schema");
    }
}
