package mcp_test

untrusted := past("github", "get_issue", "allow", 30)

private := past("github", "get_file_contents", "allow", 20)

publish := call("github", "create_pull_request", {"owner": "alice", "repo": "site"})

test_toxic_flow_denied if {
	d := decide(req(publish, [untrusted, private]))
	verdict(d, "deny", "toxic_flow")
	verdict(d, "deny", "lethal_trifecta")
}

test_toxic_flow_ask_mode if {
	cfg := object.union(fx_config, {"toxic_flow": {"mode": "ask"}, "trifecta": {"mode": "ask"}})
	d := decide_cfg(req(publish, [untrusted, private]), cfg)
	verdict(d, "ask", "toxic_flow")
	d.obligations.approval.required == true
}

test_toxic_flow_needs_order if {
	# private first, then untrusted: not the ordered flow, but still the trifecta
	d := decide(req(publish, [private, untrusted]))
	not "toxic_flow" in codes(d)
	verdict(d, "deny", "lethal_trifecta")
}

test_toxic_flow_same_step_untrusted_and_private if {
	h := [past("github", "get_private_issue", "allow", 10)]
	verdict(decide(req(publish, h)), "deny", "toxic_flow")
}

test_denied_read_does_not_taint if {
	h := [untrusted, past("github", "get_file_contents", "deny", 20)]
	allowed(decide(req(publish, h)))
}

test_asked_read_taints if {
	h := [untrusted, past("github", "get_file_contents", "ask", 20)]
	verdict(decide(req(publish, h)), "deny", "toxic_flow")
}

test_client_history_without_decision_taints if {
	h := [object.remove(untrusted, ["decision"]), object.remove(private, ["decision"])]
	verdict(decide(req(publish, h)), "deny", "lethal_trifecta")
}

test_untrusted_then_sink_without_private_allowed if {
	allowed(decide(req(publish, [untrusted])))
}

test_private_then_sink_without_untrusted_allowed if {
	allowed(decide(req(publish, [private])))
}

test_trifecta_denied_across_servers if {
	h := [past("billing", "get_invoices", "allow", 40), untrusted]
	d := decide(req(call("chat", "send_message", {"channel": "x", "text": "y"}), h))
	verdict(d, "deny", "lethal_trifecta")
}

test_trifecta_ask_mode if {
	cfg := object.union(fx_config, {"trifecta": {"mode": "ask"}})
	d := decide_cfg(req(publish, [private, untrusted]), cfg)
	verdict(d, "ask", "lethal_trifecta")
}

test_non_sink_after_trifecta_allowed if {
	allowed(decide(req(call("github", "list_repos", {}), [untrusted, private])))
}

test_secrets_then_sink_denied if {
	h := [past("vault", "read_secret", "allow", 10)]
	d := decide(req(call("chat", "send_message", {"channel": "x", "text": "y"}), h))
	verdict(d, "deny", "secrets_exfiltration")
	codes(d) == {"secrets_exfiltration"}
}

test_denied_secret_read_does_not_block_sink if {
	h := [past("vault", "read_secret", "deny", 10)]
	allowed(decide(req(call("chat", "send_message", {"channel": "x", "text": "y"}), h)))
}
