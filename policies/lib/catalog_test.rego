package lib.catalog_test

import data.lib.catalog

cat := {
	"servers": {
		"a": {"tools": {"x": {"labels": ["private_data"]}, "shared": {"labels": []}}},
		"b": {"tools": {"shared": {"labels": []}}, "default": {"labels": ["untrusted_content"]}},
		"c": {"tools": {}, "allow_unknown_tools": true},
	},
	"unknown_tool_labels": ["public_sink"],
}

test_entry_by_server_and_name if {
	catalog.entry({"server": "a", "name": "x"}) == {"labels": ["private_data"]} with data.catalog as cat
}

test_server_default_entry if {
	catalog.labels({"server": "b", "name": "other"}) == {"untrusted_content"} with data.catalog as cat
}

test_allow_unknown_tools_entry if {
	catalog.labels({"server": "c", "name": "anything"}) == {"public_sink"} with data.catalog as cat
}

test_unknown_tool_has_no_entry if {
	not catalog.entry({"server": "a", "name": "nope"}) with data.catalog as cat
	not catalog.entry({"server": "zzz", "name": "x"}) with data.catalog as cat
	catalog.labels({"server": "a", "name": "nope"}) == set() with data.catalog as cat
}

test_server_resolution_without_server if {
	catalog.server_of({"server": null, "name": "x"}) == "a" with data.catalog as cat
	not catalog.server_of({"server": null, "name": "shared"}) with data.catalog as cat
	not catalog.server_of({"name": "missing"}) with data.catalog as cat
}

test_server_resolution_by_name_index if {
	catalog.owners_by_name == {"x": {"a"}, "shared": {"a", "b"}} with data.catalog as cat
	catalog.server_of({"name": "x"}) == "a" with data.catalog as cat
	catalog.server_of({"server": "", "name": "x"}) == "" with data.catalog as cat
	not catalog.server_of({"server": 7, "name": 7}) with data.catalog as cat
}

# A label list that is not a list of known labels yields the marker, never a smaller set.
test_entry_labels_mark_malformed_lists if {
	catalog.entry_labels({"labels": ["private_data"]}) == {"private_data"}
	catalog.entry_labels({"labels": []}) == set()
	catalog.entry_labels({"labels": ["private-data"]}) == {catalog.invalid_labels}
	catalog.entry_labels({"labels": "private_data"}) == {catalog.invalid_labels}
	catalog.entry_labels({}) == {catalog.invalid_labels}
	catalog.entry_labels(null) == {catalog.invalid_labels}
	catalog.entry_labels({"labels": ["export"]}) == {"export"} with data.catalog as {"custom_labels": ["export"]}
	catalog.label_index["a/x"] == {catalog.invalid_labels} with data.catalog as {"servers": {"a": {"tools": {"x": {"labels": ["nope"]}}}}}
}
