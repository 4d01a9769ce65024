package lib.sequence_test

import data.lib.sequence

now := 1700000000000000000

cat := {"servers": {
	"github": {"tools": {
		"get_issue": {"labels": ["untrusted_content"]},
		"get_file_contents": {"labels": ["private_data"]},
		"create_pull_request": {"labels": ["public_sink"]},
		"delete_branch": {"labels": ["destructive"]},
	}},
	"chat": {"tools": {"send_message": {"labels": ["public_sink"]}}},
}}

step(server, name, decision, secs_ago) := {
	"time_ns": now - (secs_ago * 1000000000),
	"tool": {"server": server, "name": name, "arguments": {}},
	"decision": decision,
}

session(history) := {"now_ns": now, "session": {"history": history}}

hist := [
	step("github", "get_issue", "allow", 50),
	step("github", "get_file_contents", "deny", 40),
	step("github", "get_file_contents", "ask", 30),
	step("chat", "send_message", "allow", 20),
	step("github", "delete_branch", "allow", 10),
	step(null, "send_message", "allow", 5),
]

test_history_defaults_to_empty if {
	sequence.history == [] with input as {}
	count(sequence.labels_seen) == 0 with input as {} with data.catalog as cat
}

test_executed_counts_allow_ask_and_unknown if {
	sequence.executed({"decision": "allow"})
	sequence.executed({"decision": "ask"})
	sequence.executed({})
	not sequence.executed({"decision": "deny"})
}

test_labels_seen_skips_denied_steps if {
	i := session([step("github", "get_file_contents", "deny", 1), step("github", "get_issue", "allow", 1)])
	sequence.labels_seen == {"untrusted_content"} with input as i with data.catalog as cat
}

test_labels_seen_joins_catalog if {
	s := sequence.labels_seen with input as session(hist) with data.catalog as cat
	s == {"untrusted_content", "private_data", "public_sink", "destructive"}
}

test_tool_id_with_and_without_server if {
	sequence.tool_id({"server": "github", "name": "get_issue"}) == "github/get_issue"
	sequence.tool_id({"server": null, "name": "send_message"}) == "chat/send_message" with data.catalog as cat
	sequence.tool_id({"server": null, "name": "nope"}) == "/nope" with data.catalog as cat
}

test_calls_by_glob if {
	i := session(hist)
	gh := sequence.calls("github/*") with input as i with data.catalog as cat
	count(gh) == 3 # the denied read is not a call
	sends := sequence.calls("*/send_*") with input as i with data.catalog as cat
	count(sends) == 2 # the null-server step resolves to chat
	tried := sequence.attempts("github/*") with input as i with data.catalog as cat
	count(tried) == 4
}

test_happened_before if {
	i := session(hist)
	sequence.happened_before("github/get_issue", "chat/*") with input as i with data.catalog as cat
	not sequence.happened_before("chat/*", "github/get_issue") with input as i with data.catalog as cat
	not sequence.happened_before("nothing/*", "chat/*") with input as i with data.catalog as cat
}

test_label_order if {
	i := session(hist)
	sequence.label_before("untrusted_content", "private_data") with input as i with data.catalog as cat
	not sequence.label_before("destructive", "untrusted_content") with input as i with data.catalog as cat
	sequence.first_position("private_data") == 2 with input as i with data.catalog as cat
	sequence.label_positions("public_sink") == {3, 5} with input as i with data.catalog as cat
}

test_count_within_window if {
	i := session(hist)
	sequence.count_within("*/*", 25) == 3 with input as i with data.catalog as cat
	sequence.count_within("github/get_file_contents", 60) == 2 with input as i with data.catalog as cat
	sequence.count_within("*/*", 1) == 0 with input as i with data.catalog as cat
}

test_step_without_time_counts_in_every_window if {
	i := session([{"tool": {"server": "chat", "name": "send_message"}, "decision": "allow"}])
	sequence.count_within("chat/*", 1) == 1 with input as i with data.catalog as cat
}

test_tool_counts if {
	i := session(hist)
	t := {"server": "chat", "name": "send_message"}
	sequence.tool_attempts_within(t, 100) == 2 with input as i with data.catalog as cat
	sequence.tool_attempts_within(t, 10) == 1 with input as i with data.catalog as cat
	sequence.tool_executed_count({"server": "github", "name": "get_file_contents"}) == 1 with input as i
		with data.catalog as cat
}

test_label_count_within if {
	i := session(hist)
	sequence.label_count_within("public_sink", 30) == 2 with input as i with data.catalog as cat
	sequence.label_count_within("destructive", 5) == 0 with input as i with data.catalog as cat
}

test_history_labels_use_server_default_entries if {
	c := {"servers": {"web": {"default": {"labels": ["untrusted_content"]}, "tools": {"fetch": {"labels": []}}}}}
	i := session([step("web", "fetch", "allow", 3), step("web", "search", "allow", 2)])
	sequence.history_labels == [set(), {"untrusted_content"}] with input as i with data.catalog as c
	sequence.labels_seen == {"untrusted_content"} with input as i with data.catalog as c
}

# Per-step facts are arrays by position; a step without a tool name has id null and, as it could
# have been anything, the labels of an admitted unknown tool.
test_history_ids_and_labels_by_position if {
	i := session([
		step("github", "get_issue", "allow", 3),
		{"tool": {"server": "github"}, "decision": "allow"},
		step(null, "send_message", "deny", 1),
		{"decision": "deny"},
	])
	sequence.history_ids == ["github/get_issue", null, "chat/send_message", null] with input as i with data.catalog as cat
	sequence.history_labels == [{"untrusted_content"}, {"untrusted_content", "public_sink"}, {"public_sink"}, {"untrusted_content", "public_sink"}] with input as i with data.catalog as cat
	sequence.executed_steps == [0, 1] with input as i with data.catalog as cat
	sequence.labels_seen == {"untrusted_content", "public_sink"} with input as i with data.catalog as cat
}

# Steps the catalog cannot place keep their position and get strict labels: an unknown tool
# (client history, an older catalog) the unknown-tool labels, a server-less name offered by
# several servers the labels of every owner.
test_history_labels_of_unplaceable_steps if {
	c := {"servers": {
		"a": {"tools": {"read": {"labels": ["private_data"]}}},
		"b": {"tools": {"read": {"labels": ["secrets"]}}},
		"github": {"tools": {"get_issue": {"labels": ["untrusted_content"]}}},
	}}
	i := session([
		step("github", "nope", "allow", 4),
		step(null, "read", "allow", 3),
		step("evil", "read", "allow", 2),
		step("github", "get_issue", "allow", 1),
	])
	sequence.history_labels == [
		{"untrusted_content", "public_sink"}, {"private_data", "secrets"},
		{"untrusted_content", "public_sink"}, {"untrusted_content"},
	] with input as i with data.catalog as c
}

# Client-sent steps without a time get time_ns 0 from the service: unknown, so they count.
test_step_with_zero_time_counts_in_every_window if {
	i := session([object.union(step("chat", "send_message", "allow", 0), {"time_ns": 0})])
	sequence.count_within("chat/*", 1) == 1 with input as i with data.catalog as cat
	sequence.tool_attempts_within({"server": "chat", "name": "send_message"}, 1) == 1 with input as i with data.catalog as cat
	sequence.label_count_within("public_sink", 1) == 1 with input as i with data.catalog as cat
}

# Exact-match counting compares "server/tool" ids: different (server, name) pairs spelling the
# same id match; the same name on another server does not.
test_tool_counts_compare_ids_not_pairs if {
	i := session([
		step("a/b", "c", "allow", 1),
		step("a", "b/c", "allow", 1),
		step("a", "b", "allow", 1),
		step("x", "b/c", "allow", 1),
		{"tool": {"name": "b/c"}, "decision": "allow", "time_ns": now},
	])
	sequence.tool_attempts_within({"server": "a", "name": "b/c"}, 10) == 2 with input as i with data.catalog as cat
	sequence.tool_attempts_within({"server": "a/b", "name": "c"}, 10) == 2 with input as i with data.catalog as cat
	sequence.tool_executed_count({"server": "x", "name": "b/c"}) == 1 with input as i with data.catalog as cat
	# Unresolved servers: both "/b/c" (the step without a server and a call without one).
	sequence.tool_attempts_within({"name": "b/c"}, 10) == 1 with input as i with data.catalog as cat
}

# Steps without a server resolve through the catalog, as the call itself does.
test_tool_counts_resolve_missing_servers if {
	i := session([step(null, "send_message", "allow", 1), step("chat", "send_message", "ask", 2), step(null, "nope", "allow", 1)])
	sequence.tool_attempts_within({"server": "chat", "name": "send_message"}, 10) == 2 with input as i with data.catalog as cat
	sequence.tool_attempts_within({"server": null, "name": "send_message"}, 10) == 2 with input as i with data.catalog as cat
	sequence.tool_attempts_within({"server": null, "name": "nope"}, 10) == 1 with input as i with data.catalog as cat
	sequence.tool_attempts_within({"server": "chat", "name": "send_message"}, 1) == 1 with input as i with data.catalog as cat
	sequence.tool_executed_count({"server": "chat", "name": "send_message"}) == 2 with input as i with data.catalog as cat
}

test_glob_helpers_skip_steps_without_ids if {
	i := session([{"tool": {}, "decision": "allow"}, step("github", "get_issue", "allow", 1)])
	count(sequence.calls("*/*")) == 1 with input as i with data.catalog as cat
	count(sequence.attempts("github/*")) == 1 with input as i with data.catalog as cat
	sequence.count_within("*/*", 10) == 1 with input as i with data.catalog as cat
	not sequence.happened_before("github/*", "*/*") with input as i with data.catalog as cat
}

test_happened_before_is_strict if {
	i := session([step("github", "get_issue", "allow", 2), step("chat", "send_message", "deny", 1)])
	not sequence.happened_before("github/*", "chat/*") with input as i with data.catalog as cat
	not sequence.happened_before("github/*", "github/*") with input as i with data.catalog as cat
	sequence.happened_before("github/*", "*/*") with input as session(array.concat(i.session.history, [step("chat", "send_message", "allow", 0)]))
		with data.catalog as cat
}
