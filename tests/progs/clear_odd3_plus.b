Odd step of three upward reaches zero then E
+[+++]+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
