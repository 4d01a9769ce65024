package mcp_test

delete_branch := call("github", "delete_branch", {"branch": "main"})

delete_file := call("files", "delete_file", {"path": "/tmp/x"})

test_destructive_needs_approval if {
	d := decide(req(delete_branch, []))
	verdict(d, "ask", "destructive_approval")
	d.obligations.approval == {"required": true, "reasons": ["destructive_approval"]}
}

test_destructive_auto_approved if {
	allowed(decide(req(delete_file, [])))
}

test_auto_approve_ignored_when_only_annotations_say_destructive if {
	cat := object.union(fx_catalog, {"servers": {"files": {"tools": {"read_file": {"auto_approve": true}}}}})
	t := object.union(call("files", "read_file", {}), {"annotations": {"destructiveHint": true}})
	i := req(t, [])
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	verdict(d, "ask", "destructive_approval")
}

test_mass_deletion_denied if {
	h := [past("files", "delete_file", "allow", 10), past("files", "delete_file", "allow", 5)]
	verdict(decide(req(delete_file, h)), "deny", "destructive_rate")
}

test_mass_deletion_window if {
	h := [past("files", "delete_file", "allow", 1000), past("files", "delete_file", "allow", 5)]
	allowed(decide(req(delete_file, h)))
}

test_mass_deletion_counts_asked_calls if {
	h := [past("github", "delete_branch", "ask", 10), past("files", "delete_file", "allow", 5)]
	verdict(decide(req(delete_file, h)), "deny", "destructive_rate")
}

frozen_cfg := object.union(fx_config, {"freeze": true})

test_freeze_denies_sinks if {
	d := decide_cfg(req(call("github", "create_pull_request", {}), []), frozen_cfg)
	verdict(d, "deny", "freeze_active")
}

test_freeze_denies_destructive if {
	verdict(decide_cfg(req(delete_file, []), frozen_cfg), "deny", "freeze_active")
}

test_freeze_allows_reads if {
	allowed(decide_cfg(req(call("github", "get_issue", {}), []), frozen_cfg))
}

test_freeze_denies_admin_tools if {
	cat := object.union(fx_catalog, {"servers": {"github": {"tools": {"set_branch_protection": {"scopes": ["repo:read"], "labels": ["admin"]}}}}})
	i := req(call("github", "set_branch_protection", {}), [])
	open := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	allowed(open)
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as frozen_cfg
	verdict(d, "deny", "freeze_active")
}
