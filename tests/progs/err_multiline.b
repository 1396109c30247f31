this line is a comment

+++ comment <<< more
  words here <+

Positions count lines and byte columns
