package mcp_test

repos := call("github", "list_repos", {})

repeat(server, name, decision, n) := [past(server, name, decision, 5) | some _ in numbers.range(1, n)]

test_loop_under_limit_allowed if {
	allowed(decide(req(repos, repeat("github", "list_repos", "allow", 3))))
}

test_loop_over_limit_denied if {
	verdict(decide(req(repos, repeat("github", "list_repos", "allow", 4))), "deny", "tool_loop")
}

test_loop_counts_denied_attempts if {
	verdict(decide(req(repos, repeat("github", "list_repos", "deny", 4))), "deny", "tool_loop")
}

test_loop_outside_window_allowed if {
	h := [past("github", "list_repos", "allow", 120) | some _ in numbers.range(1, 6)]
	allowed(decide(req(repos, h)))
}

test_loop_other_tools_do_not_count if {
	allowed(decide(req(repos, repeat("chat", "list_channels", "allow", 6))))
}

test_session_call_limit if {
	h := array.concat(
		array.concat(repeat("chat", "list_channels", "allow", 3), repeat("github", "get_issue", "allow", 3)),
		[past("files", "read_file", "allow", 100) | some _ in numbers.range(1, 14)],
	)
	count(h) == 20
	verdict(decide(req(call("billing", "get_invoices", {}), h)), "deny", "session_call_limit")
}

test_session_call_limit_uses_step_when_history_truncated if {
	i := req(repos, [])
	j := object.union(i, {"session": {"step": 21}})
	verdict(decide(j), "deny", "session_call_limit")
}

test_tool_call_limit if {
	d := decide(req(call("chat", "send_message", {"channel": "a", "text": "b"}), repeat("chat", "send_message", "allow", 3)))
	verdict(d, "deny", "tool_call_limit")
}

test_tool_call_limit_ignores_denied_calls if {
	h := array.concat(repeat("chat", "send_message", "allow", 2), repeat("chat", "send_message", "deny", 1))
	allowed(decide(req(call("chat", "send_message", {"channel": "a", "text": "b"}), h)))
}

test_loop_limit_per_tool_from_catalog if {
	cat := object.union(fx_catalog, {"servers": {"github": {"tools": {"list_repos": {"limits": {"max_repeats": 1, "window_seconds": 600}}}}}})
	i := req(repos, [past("github", "list_repos", "allow", 300)])
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	verdict(d, "deny", "tool_loop")
	allowed(decide(i))
}
