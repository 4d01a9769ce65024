package comp

arr := [1, "two", [3], {"four": 4}]
trailing := [1, 2,]
obj := {"a": 1, 2: "b", [1]: true, input.k: null}
st := {1, 2, 3}
one := {"x"}
empty_obj := {}
empty_set := set()
empty_arr := []
multi := {
	"k1": [
		1,
		2
	],
	"k2": {"nested": true},
}
