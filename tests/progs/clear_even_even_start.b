Even step from an even start reaches zero then F; must stay a loop
++++++++++[--]++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
