# Rule 7: loops and budgets. Loop and session limits count every attempt, denied ones too (a
# loop is behaviour); the per-tool quota counts executed calls only (it limits effects).
package mcp

import data.lib.sequence

# A catalog entry may tighten or relax the loop limit of its tool: limits.{max_repeats, window_seconds}.
loop_limit := n if {
	n := entry.limits.max_repeats
	is_number(n)
}

loop_limit := loop_max_repeats if not is_number(entry.limits.max_repeats)

loop_window := w if {
	w := entry.limits.window_seconds
	is_number(w)
}

loop_window := loop_window_seconds if not is_number(entry.limits.window_seconds)

violation contains v if {
	n := sequence.tool_attempts_within(input.tool, loop_window)
	n >= loop_limit
	v := {
		"code": "tool_loop",
		"message": sprintf("%s called more than %d times within %d s", [tool_display, loop_limit, loop_window]),
		"effect": "deny",
	}
}

# Prior calls: the history, or the step number when the history was truncated.
prior_calls := max([count(sequence.history), step_before])

default step_before := 0

step_before := input.session.step - 1 if is_number(input.session.step)

violation contains v if {
	prior_calls >= session_max_calls
	v := {
		"code": "session_call_limit",
		"message": sprintf("the session reached its limit of %d calls", [session_max_calls]),
		"effect": "deny",
	}
}

violation contains v if {
	limit := entry.max_calls_per_session
	is_number(limit)
	sequence.tool_executed_count(input.tool) >= limit
	v := {
		"code": "tool_call_limit",
		"message": sprintf("%s may run at most %d times per session", [tool_display, limit]),
		"effect": "deny",
	}
}

# The service keeps the last ARBITER_SESSION_HISTORY_MAX steps (256 by default, above the
# default session.max_calls). When earlier steps are missing, the labels they carried are
# unknown, so a public-sink call cannot be judged by the flow rules: denied.
violation contains v if {
	sink_call
	step_before > count(sequence.history)
	v := {
		"code": "history_incomplete",
		"message": sprintf("%s writes to a public sink but only %d of the session's %d earlier steps are known", [tool_display, count(sequence.history), step_before]),
		"effect": "deny",
	}
}
