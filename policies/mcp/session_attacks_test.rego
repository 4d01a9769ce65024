# Red-team cases for tokens, session history, rates and the freeze switch.
package mcp_test

pr := call("github", "create_pull_request", {"owner": "alice", "repo": "site"})

# ---- tokens ----------------------------------------------------------------------------------

test_audience_and_resource_trailing_slash_variants_allowed if {
	cl := object.union(fx_claims, {"aud": "https://mcp.example.com/chat/"})
	i := object.union(req_claims(call("chat", "list_channels", {}), cl, []), {"resource": "https://mcp.example.com/chat/"})
	allowed(decide(i))
}

test_resource_omitted_still_checks_catalog_audience if {
	cl := object.union(fx_claims, {"aud": ["https://mcp.example.com/github"]})
	i := object.union(req_claims(call("chat", "list_channels", {}), cl, []), {"resource": null})
	verdict(decide(i), "deny", "token_audience_mismatch")
}

test_resource_of_another_server_denied if {
	# the gateway forwards to the github server while the catalog entry is chat's (and the
	# token lists both audiences, so the audience check alone would pass)
	i := object.union(req(call("chat", "list_channels", {}), []), {"resource": "https://mcp.example.com/github"})
	verdict(decide(i), "deny", "resource_mismatch")
}

test_scope_claim_shapes if {
	base := object.remove(fx_claims, ["scope"])
	allowed(decide(req_claims(pr, object.union(base, {"scope": ["repo:write"]}), [])))
	allowed(decide(req_claims(pr, object.union(base, {"scp": "repo:read repo:write"}), [])))
	allowed(decide(req_claims(pr, object.union(base, {"scp": ["repo:write"]}), [])))
	verdict(decide(req_claims(pr, object.union(base, {"scope": "repo:read  Repo:Write"}), [])), "deny", "scope_insufficient")
	verdict(decide(req_claims(pr, object.union(base, {"scope": "repo:read,repo:write"}), [])), "deny", "scope_insufficient")
}

test_expired_within_verifier_skew_still_denied if {
	# the verifier may accept a token a few seconds past exp; the policy does not
	cl := object.union(fx_claims, {"exp": (fx_now / fx_sec) - 5})
	verdict(decide(req_claims(call("chat", "list_channels", {}), cl, [])), "deny", "token_expired")
}

test_non_numeric_time_claims_invalid if {
	every k in ["exp", "nbf"] {
		cl := object.union(fx_claims, {k: "1700000600"})
		verdict(decide(req_claims(call("chat", "list_channels", {}), cl, [])), "deny", "token_invalid")
	}
}

test_token_not_yet_valid_denied if {
	cl := object.union(fx_claims, {"nbf": (fx_now / fx_sec) + 60})
	verdict(decide(req_claims(call("chat", "list_channels", {}), cl, [])), "deny", "token_invalid")
	allowed(decide(req_claims(call("chat", "list_channels", {}), object.union(fx_claims, {"nbf": (fx_now / fx_sec) - 60}), [])))
}

test_gateway_claims_need_a_trusted_caller if {
	i := req(call("chat", "list_channels", {}), [])
	gw := object.union(i, {"token": object.union(i.token, {"source": "gateway"})})
	allowed(decide(gw))
	anon := object.union(gw, {"caller": {"name": "anonymous", "role": "anonymous", "trusted": false}})
	verdict(decide(anon), "deny", "token_invalid")
}

# ---- history ---------------------------------------------------------------------------------

client_step(server, name) := {
	"step": 1, "time": "1970-01-01T00:00:00.000Z", "time_ns": 0,
	"tool": {"server": server, "name": name, "arguments": {}}, "decision": "allow", "reasons": [],
}

test_unknown_tool_in_history_counts_as_untrusted if {
	# client history from elsewhere: a tool this catalog does not know, then a private read
	h := [client_step("web", "fetch_url"), past("github", "get_file_contents", "allow", 10)]
	verdict(decide(req(pr, h)), "deny", "lethal_trifecta")
}

test_denied_unknown_tool_in_history_does_not_taint if {
	h := [past("web", "fetch_url", "deny", 20), past("github", "get_file_contents", "allow", 10)]
	allowed(decide(req(pr, h)))
}

test_denied_unknown_step_does_not_hide_later_labels if {
	# positions stay aligned: a step the catalog cannot place does not shift later steps
	h := [past("github", "no_such_tool", "deny", 40), past("github", "get_issue", "allow", 30), past("github", "get_file_contents", "allow", 20)]
	verdict(decide(req(pr, h)), "deny", "toxic_flow")
}

test_client_steps_without_time_count_in_loop_window if {
	h := [client_step("chat", "list_channels") | some _ in numbers.range(1, 4)]
	verdict(decide(req(call("chat", "list_channels", {}), h)), "deny", "tool_loop")
}

test_benign_fake_history_does_not_launder if {
	# a client history claiming only harmless steps adds nothing: the real server-side steps
	# decide (here: untrusted + private, then the sink)
	fake := [client_step("chat", "list_channels")]
	h := array.concat(fake, [past("github", "get_issue", "allow", 30), past("github", "get_file_contents", "ask", 20)])
	verdict(decide(req(pr, h)), "deny", "lethal_trifecta")
}

test_truncated_history_blocks_sinks if {
	h := [past("github", "list_repos", "allow", 10)]
	i := req(pr, h)
	truncated := object.union(i, {"session": object.union(i.session, {"step": 15})})
	verdict(decide(truncated), "deny", "history_incomplete")
	# reads stay allowed; a complete history is not "incomplete"
	allowed(decide(object.union(truncated, {"tool": call("github", "list_repos", {})})))
	allowed(decide(i))
}

test_mass_deletion_counts_annotation_destructive_steps if {
	# the catalog does not call list_repos destructive; its annotations did, so each call was
	# asked (destructive_approval) — those count toward the mass-deletion limit too
	asked := object.union(past("github", "list_repos", "ask", 30), {"reasons": ["destructive_approval"]})
	t := object.union(call("github", "list_repos", {}), {"annotations": {"destructiveHint": true}})
	verdict(decide(req(t, [asked, asked])), "deny", "destructive_rate")
	verdict(decide(req(t, [asked])), "ask", "destructive_approval")
}

# ---- freeze ----------------------------------------------------------------------------------

test_freeze_any_value_but_false_freezes if {
	every f in [true, "yes", "true", 1, null] {
		cfg := object.union(fx_config, {"freeze": f})
		verdict(decide_cfg(req(pr, []), cfg), "deny", "freeze_active")
	}
}

test_freeze_stops_unlabelled_writes_by_scope if {
	cat := json.patch(fx_catalog, [{"op": "add", "path": "/servers/files/tools/write_file", "value": {"scopes": ["files:write"], "labels": []}}])
	cl := object.union(fx_claims, {"scope": concat(" ", [fx_claims.scope, "files:write"])})
	i := req_claims(call("files", "write_file", {}), cl, [])
	cfg := object.union(fx_config, {"freeze": true})
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as cfg
	verdict(d, "deny", "freeze_active")
	d2 := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	allowed(d2)
}

# ---- consent ---------------------------------------------------------------------------------

test_consent_entry_false_or_null_consents_to_nothing if {
	every entry in [false, null] {
		d := data.mcp.decision with input as req(call("chat", "list_channels", {}), [])
			with data.catalog as fx_catalog with data.config as fx_config with data.consent as {"alice": entry}
		verdict(d, "deny", "client_not_consented")
	}
}

test_consent_empty_list_consents_to_nothing if {
	d := data.mcp.decision with input as req(call("chat", "list_channels", {}), [])
		with data.catalog as fx_catalog with data.config as fx_config with data.consent as {"alice": []}
	verdict(d, "deny", "client_not_consented")
}

test_missing_owner_flag_fails_closed if {
	i := req(call("chat", "list_channels", {}), [])
	every s in [object.remove(i.session, ["owner_mismatch"]), object.union(i.session, {"owner_mismatch": "false"})] {
		verdict(decide(object.union(object.remove(i, ["session"]), {"session": s})), "deny", "session_owner_mismatch")
	}
}
