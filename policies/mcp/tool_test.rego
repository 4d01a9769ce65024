package mcp_test

test_unknown_tool_denied if {
	d := decide(req(call("github", "drop_database", {}), []))
	verdict(d, "deny", "tool_unknown")
}

test_unknown_server_denied if {
	d := decide(req(call("nowhere", "anything", {}), []))
	verdict(d, "deny", "tool_unknown")
}

test_tool_without_name_denied if {
	d := decide(req({"server": "github", "arguments": {}}, []))
	verdict(d, "deny", "tool_unknown")
}

test_server_default_entry_governs_unlisted_tools if {
	i := req(call("files", "list_dir", {}), [])
	allowed(decide(i))
	data.mcp.labels == {"untrusted_content"} with input as i with data.catalog as fx_catalog
}

test_allow_unknown_tools_treats_tool_as_untrusted_sink if {
	i := req(call("sandbox", "run", {}), [])
	allowed(decide(i))
	data.mcp.labels == {"untrusted_content", "public_sink"} with input as i with data.catalog as fx_catalog
}

test_tool_without_server_resolves_unique_name if {
	i := req({"server": null, "name": "get_invoices", "arguments": {"user_id": "alice"}}, [])
	data.mcp.server == "billing" with input as i with data.catalog as fx_catalog
	allowed(decide(object.union(i, {"resource": "https://mcp.example.com/billing"})))
}

test_annotation_destructive_hint_makes_call_destructive if {
	t := object.union(call("github", "list_repos", {}), {"annotations": {"destructiveHint": true}})
	d := decide(req(t, []))
	verdict(d, "ask", "destructive_approval")
}

test_annotation_read_only_hint_cannot_loosen if {
	t := object.union(call("github", "delete_branch", {}), {"annotations": {"readOnlyHint": true, "destructiveHint": false}})
	verdict(decide(req(t, [])), "ask", "destructive_approval")
}

test_annotation_open_world_hint_makes_call_a_sink if {
	t := object.union(call("github", "list_repos", {}), {"annotations": {"openWorldHint": true}})
	h := [past("github", "get_issue", "allow", 5), past("github", "get_file_contents", "allow", 4)]
	verdict(decide(req(t, h)), "deny", "lethal_trifecta")
}
