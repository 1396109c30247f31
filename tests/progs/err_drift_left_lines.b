

>>>+
   [<+]

Drifts left one cell per turn and touches cell minus one
