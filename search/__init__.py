"""The search engine room: postcode gazetteer and geocoding, the query contract, the backends and the search pages."""
