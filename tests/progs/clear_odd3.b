Odd step of three always reaches zero then C
+++++++[---]+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
