"""Python `gql`, unmodified: a Client over RequestsHTTPTransport with fetch_schema_from_transport=True reads the
schema from the server (the standard introspection query), validates documents against it before sending, and
runs them. Prints what it saw as JSON for tests/clients/gql.test.mjs.

Usage: python gql_client.py http://127.0.0.1:PORT/graphql
"""

import json
import sys

from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError


def main(url: str) -> None:
    client = Client(transport=RequestsHTTPTransport(url=url), fetch_schema_from_transport=True)
    seen = {}
    with client as session:
        communes = session.execute(
            gql('query Communes { communes(first: 10, locale: "fr") { totalCount nodes { slug name status } } }')
        )
        seen["communes"] = communes["communes"]
        seen["schema_types"] = sorted(name for name in client.schema.type_map if not name.startswith("__"))
        # Validated against the fetched schema, on the client, before anything is sent.
        try:
            session.execute(gql("query Bad { communes { nodes { nonsense } } }"))
            seen["local_validation"] = None
        except GraphQLError as error:
            seen["local_validation"] = str(error)
        # An error the server answers, with its code.
        try:
            session.execute(gql('query Missing { commune(slug: "atlantis") { slug } }'))
            seen["server_error"] = None
        except TransportQueryError as error:
            seen["server_error"] = error.errors[0].get("extensions", {}).get("code") if error.errors else None
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1])
