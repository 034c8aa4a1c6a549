"""Jamaa's Open311 facade through the PyPI client georeport: lists a commune's services and finds a service
request, in JSON and in XML. Prints one JSON object for tests/tests/it/open311.rs to check.

Usage: georeport_client.py ROOT JURISDICTION SERVICE_REQUEST_ID
"""

import json
import sys

from georeport import GeoReport


def main() -> None:
    root, jurisdiction, request_id = sys.argv[1:4]
    seen = {}
    for output_format in ("json", "xml"):
        client = GeoReport(root, jurisdiction=jurisdiction, output_format=output_format)
        services = client.get_service_list()
        if isinstance(services, dict):  # xmltodict: one element is not a list
            services = [services]
        definition = client.get_service_definition("reclamation")
        attributes = definition["attributes"]
        if output_format == "xml":
            attributes = attributes["attribute"]
            attributes = attributes if isinstance(attributes, list) else [attributes]
        listed = client.get_service_requests(service_request_id=request_id)
        if isinstance(listed, dict):
            listed = [listed]
        recent = client.get_service_requests(service_code="reclamation", status="open")
        if isinstance(recent, dict):
            recent = [recent]
        one = client.get_service_request(request_id)
        seen[output_format] = {
            "services": [s["service_code"] for s in services],
            "attributes": [a["code"] for a in attributes],
            "listed": [r["service_request_id"] for r in listed],
            "recent": [r["service_request_id"] for r in (recent or [])],
            "one": {
                "id": one["service_request_id"],
                "status": one["status"],
                "service_code": one["service_code"],
                "description": one["description"],
                "address": one["address"],
                "lat": float(one["lat"]),
                "long": float(one["long"]),
                "text": json.dumps(one, ensure_ascii=False),
            },
        }
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
