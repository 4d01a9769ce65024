# The pack fails closed on its own malformed data (integrity.rego).
package mcp_test

publish_req := req(call("github", "create_pull_request", {"owner": "alice", "repo": "site"}), [])

with_catalog(i, cat) := d if {
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
}

patched(path, value) := json.patch(fx_catalog, [{"op": "add", "path": path, "value": value}])

test_fixture_and_shipped_data_are_well_formed if {
	count(data.mcp.catalog_problems) == 0 with data.catalog as fx_catalog
	count(data.mcp.config_problems) == 0 with data.config as fx_config
	count(data.mcp.catalog_problems) == 0
	count(data.mcp.config_problems) == 0
	count(data.mcp.consent_problems) == 0
}

test_malformed_called_entry_denied if {
	every bad in [
		{"scopes": "repo:write", "labels": ["public_sink"]}, # a string requires nothing
		{"scopes": ["repo:write"], "labels": "public_sink"},
		{"scopes": ["repo:write"], "labels": ["public-sink"]}, # typo: would tag nothing
		{"scopes": ["repo:write", 7], "labels": ["public_sink"]},
		{"labels": ["public_sink"]}, # scopes missing
		{"scopes": ["repo:write"]}, # labels missing
		{"scopes": ["repo:write"], "labels": ["public_sink"], "scope": ["repo:admin"]}, # unknown key
		{"scopes": ["repo:write"], "labels": ["public_sink"], "identity_params": ["user_id"]},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "identity_params": {"user_id": 1}},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "max_calls_per_session": "5"},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "limits": {"max_repeats": "3"}},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "limits": {"window_seconds": 0}},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "limits": {"max_repats": 3}},
		{"scopes": ["repo:write"], "labels": ["public_sink"], "auto_approve": "yes"},
		null,
		"public_sink",
	] {
		verdict(with_catalog(publish_req, patched("/servers/github/tools/create_pull_request", bad)), "deny", "catalog_invalid")
	}
}

test_malformed_called_server_denied if {
	every p in [
		["/servers/github/destructive_scope", ["repo:delete"]],
		["/servers/github/resource", 42],
		["/servers/github/allow_unknown_tools", "true"],
		["/servers/github/destructive_scopes", "repo:delete"],
		["/servers/github/default", {"labels": ["untrusted_content"]}],
	] {
		verdict(with_catalog(publish_req, patched(p[0], p[1])), "deny", "catalog_invalid")
	}
}

test_malformed_catalog_top_level_denied if {
	every p in [
		["/unknown_tool_labels", ["public_sink", "spooky"]],
		["/allow_unknown_tools", "yes"],
		["/custom_labels", "x"],
		["/srevers", {}],
	] {
		verdict(with_catalog(publish_req, patched(p[0], p[1])), "deny", "catalog_invalid")
	}
}

test_malformed_labels_of_a_history_tool_denied if {
	# get_file_contents' labels are malformed: the session's private read would go unseen
	cat := patched("/servers/github/tools/get_file_contents/labels", ["private-data"])
	h := [past("github", "get_issue", "allow", 30), past("github", "get_file_contents", "allow", 20)]
	d := with_catalog(req(call("github", "create_pull_request", {}), h), cat)
	verdict(d, "deny", "catalog_invalid")
	# a denied step relied on nothing
	h2 := [past("github", "get_issue", "allow", 30), past("github", "get_file_contents", "deny", 20)]
	allowed(with_catalog(req(call("github", "create_pull_request", {}), h2), cat))
}

test_malformed_unrelated_entry_does_not_decide if {
	cat := patched("/servers/vault/tools/read_secret/scopes", "secrets:read")
	allowed(with_catalog(req(call("chat", "list_channels", {}), []), cat))
	count(data.mcp.catalog_problems) == 1 with data.catalog as cat
}

test_custom_labels_extend_the_vocabulary if {
	cat := json.patch(fx_catalog, [
		{"op": "add", "path": "/custom_labels", "value": ["export"]},
		{"op": "add", "path": "/servers/github/tools/list_repos/labels", "value": ["export"]},
	])
	allowed(with_catalog(req(call("github", "list_repos", {}), []), cat))
}

test_catalog_invalid_message_names_the_problem if {
	d := with_catalog(publish_req, patched("/servers/github/tools/create_pull_request/scopes", "repo:write"))
	some r in d.reasons
	r.code == "catalog_invalid"
	contains(r.message, "servers.github: tools.create_pull_request: scopes must be a list of strings")
}

test_malformed_config_denied if {
	every bad in [
		{"freeze": "yes"},
		{"freez": true},
		{"trusted_issuers": "https://idp.example.com"},
		{"toxic_flow": {"mode": "warn"}},
		{"trifecta": "ask"},
		{"loop": {"max_repeats": "4"}},
		{"loop": {"window_seconds": 0}},
		{"session": {"max_calls": -1}},
		{"destructive": {"max_call": 2}},
		{"consent": {"require_entry": "true"}},
	] {
		cfg := object.union(fx_config, bad)
		verdict(decide_cfg(req(call("chat", "list_channels", {}), []), cfg), "deny", "config_invalid")
	}
}

test_partial_config_is_fine if {
	cfg := {"trusted_issuers": ["https://idp.example.com"], "loop": {"max_repeats": 3}}
	allowed(decide_cfg(req(call("chat", "list_channels", {}), []), cfg))
}

test_malformed_consent_registry_denied if {
	every reg in [["alice"], "alice", {"alice": "agent-cli"}, {"alice": [1]}] {
		d := data.mcp.decision with input as req(call("chat", "list_channels", {}), [])
			with data.catalog as fx_catalog with data.config as fx_config with data.consent as reg
		verdict(d, "deny", "consent_invalid")
	}
}

test_other_subjects_malformed_consent_does_not_decide if {
	d := data.mcp.decision with input as req(call("chat", "list_channels", {}), [])
		with data.catalog as fx_catalog with data.config as fx_config with data.consent as {"bob": "x"}
	allowed(d)
}
