# The entrypoint: every triggered rule adds a `violation` {code, message, effect}; the
# decision is the strictest effect (deny > ask > allow) and lists every reason.
package mcp

denials := [{"code": v.code, "message": v.message} | some v in violation; v.effect == "deny"]

asks := [{"code": v.code, "message": v.message} | some v in violation; v.effect == "ask"]

# Fail closed: an outcome nobody derived is a deny.
default outcome := "deny"

outcome := "deny" if count(denials) > 0

outcome := "ask" if {
	count(denials) == 0
	count(asks) > 0
}

outcome := "allow" if {
	count(denials) == 0
	count(asks) == 0
}

default allow := false

allow if outcome == "allow"

default approval_obligations := {}

approval_obligations := {"approval": {"required": true, "reasons": codes}} if {
	outcome == "ask"
	codes := [r.code | some r in asks]
}

obligations := object.union(scope_obligations, approval_obligations)

decision := {
	"allow": allow,
	"decision": outcome,
	"reasons": array.concat(denials, asks),
	"obligations": obligations,
}
