Hello world spread over many lines
with comments between the commands

++++ ++++          eight
[                  loop on cell zero
  >++++ +++++      cell one gets nine per turn
  >++++ ++++ ++++  cell two gets twelve per turn
  >+++ +           cell three gets four per turn
  <<<-
]
>.                 H is seventy two
>+++++ .           e
+++++ ++ ..        l l
+++ .              o
>.                 space is thirty two
<<+++++ +++++ +++++ .   W
>.                 o
+++ .              r
----- - .          l
----- --- .        d
>+ .               bang
>++++ ++++ ++ .    newline in cell four
