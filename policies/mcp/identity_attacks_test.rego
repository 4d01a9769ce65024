# Red-team cases for identity parameters, tool naming and annotations: each attack is blocked
# and the nearest benign call stays allowed.
package mcp_test

invoices(args) := call("billing", "get_invoices", args)

# ---- identity parameters ---------------------------------------------------------------------

test_identity_argument_name_variants_are_checked if {
	# servers with loose argument binding read these as user_id
	every key in ["USER_ID", "userId", "user-id", "User_Id", "user id"] {
		verdict(decide(req(invoices({key: "bob"}), [])), "deny", "identity_mismatch")
	}
}

test_identity_argument_name_variant_with_own_user_allowed if {
	allowed(decide(req(invoices({"userId": "alice", "org": "acme"}), [])))
}

test_identity_nested_argument_is_checked if {
	every args in [
		{"filter": {"user_id": "bob"}},
		{"query": {"where": {"UserId": "bob"}}},
		{"users": [{"user_id": "bob"}]},
		{"a": {"b": [{"org": "other-corp"}]}},
	] {
		verdict(decide(req(invoices(args), [])), "deny", "identity_mismatch")
	}
}

test_identity_nested_own_user_allowed if {
	allowed(decide(req(invoices({"filter": {"user_id": "alice", "year": 2024}}), [])))
}

test_identity_nested_too_deep_denied if {
	args := {"a": {"b": {"c": {"d": {"user_id": "bob"}}}}}
	verdict(decide(req(invoices(args), [])), "deny", "identity_mismatch")
}

test_identity_deep_scalars_allowed if {
	# depth 4 holding only scalars (or empty collections) is fully checked
	allowed(decide(req(invoices({"a": {"b": {"c": {"d": 1, "e": [], "f": {}}}}}), [])))
}

test_identity_nested_opt_out if {
	cat := json.patch(fx_catalog, [{"op": "add", "path": "/servers/billing/tools/get_invoices/identity_nested", "value": false}])
	i := req(invoices({"recipients": [{"user_id": "bob"}], "user_id": "alice"}), [])
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	allowed(d)
	d2 := data.mcp.decision with input as req(invoices({"USER_ID": "bob"}), []) with data.catalog as cat with data.config as fx_config
	verdict(d2, "deny", "identity_mismatch")
}

test_identity_value_shapes_must_equal_the_claim if {
	every value in [["alice"], {"id": "alice"}, "Alice", "alice ", " alice", "аlice", null, true] {
		verdict(decide(req(invoices({"user_id": value}), [])), "deny", "identity_mismatch")
	}
}

test_identity_number_against_string_subject_denied if {
	cl := object.union(fx_claims, {"sub": "12345"})
	verdict(decide(req_claims(invoices({"user_id": 12345}), cl, [])), "deny", "identity_mismatch")
	allowed(decide(req_claims(invoices({"user_id": "12345"}), cl, [])))
}

test_identity_tenant_claim_missing_denied if {
	cl := object.remove(fx_claims, ["tenant"])
	verdict(decide(req_claims(invoices({"org": "acme"}), cl, [])), "deny", "identity_mismatch")
}

test_identity_trusted_issuer_other_tenant_denied if {
	# a valid token of the same issuer, for another tenant, naming this tenant's org
	cl := object.union(fx_claims, {"sub": "mallory", "tenant": "evil-corp"})
	verdict(decide(req_claims(invoices({"user_id": "mallory", "org": "acme"}), cl, [])), "deny", "identity_mismatch")
}

# ---- tool naming -----------------------------------------------------------------------------

test_case_variant_of_listed_tool_denied_under_default if {
	# files has a `default` entry: DELETE_FILE would otherwise get the default's lax entry
	d := decide(req(call("files", "DELETE_FILE", {}), []))
	verdict(d, "deny", "tool_unknown")
}

test_non_plain_tool_names_denied_under_default if {
	every name in ["delete_file ", " list_dir", "dеlete_file", "list dir", "ｌist_dir", ""] {
		verdict(decide(req(call("files", name, {}), [])), "deny", "tool_unknown")
	}
}

test_plain_unlisted_name_still_admitted_by_default if {
	allowed(decide(req(call("files", "list_dir.v2", {}), [])))
}

test_case_variant_without_default_is_unknown if {
	verdict(decide(req(call("github", "Create_Pull_Request", {}), [])), "deny", "tool_unknown")
}

test_server_case_variant_is_unknown if {
	verdict(decide(req(call("GitHub", "create_pull_request", {}), [])), "deny", "tool_unknown")
}

test_null_server_with_ambiguous_name_denied if {
	cat := json.patch(fx_catalog, [{"op": "add", "path": "/servers/chat/tools/get_issue", "value": {"scopes": [], "labels": []}}])
	i := req({"server": null, "name": "get_issue", "arguments": {}, "annotations": {}}, [])
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	verdict(d, "deny", "tool_unknown")
}

# ---- annotations -----------------------------------------------------------------------------

test_annotations_cannot_loosen_destructive_tool if {
	t := object.union(call("github", "delete_branch", {}), {"annotations": {"readOnlyHint": true, "destructiveHint": false, "openWorldHint": false}})
	verdict(decide(req(t, [])), "ask", "destructive_approval")
}

test_non_boolean_hints_count_as_set if {
	every hint in ["true", 1, null] {
		t := object.union(call("github", "list_repos", {}), {"annotations": {"destructiveHint": hint}})
		verdict(decide(req(t, [])), "ask", "destructive_approval")
	}
}

test_false_hints_change_nothing if {
	t := object.union(call("github", "list_repos", {}), {"annotations": {"destructiveHint": false, "openWorldHint": false}})
	allowed(decide(req(t, [])))
}

test_auto_approve_on_tool_not_marked_destructive_is_ignored if {
	cat := json.patch(fx_catalog, [{"op": "add", "path": "/servers/github/tools/list_repos/auto_approve", "value": true}])
	t := object.union(call("github", "list_repos", {}), {"annotations": {"destructiveHint": true}})
	d := data.mcp.decision with input as req(t, []) with data.catalog as cat with data.config as fx_config
	verdict(d, "ask", "destructive_approval")
}
