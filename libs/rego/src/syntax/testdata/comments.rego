# METADATA
# title: comments
package c

# before rule
p := 1 # after rule

q if {
	# inside body
	true # after expr
}
