Compile time evaluation and the step limit inside the evaluated part:
ten by twos prints five bytes in four back edges; a limit of three stops
it at the close bracket after four bytes (ten eight six four)

++++++++++[.>+<--]
