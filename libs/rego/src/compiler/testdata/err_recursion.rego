package golden.recursion

a if b

b if c

c if a

f(x) := f(x - 1)

g(x) := h(x)

h(x) := g(x)
