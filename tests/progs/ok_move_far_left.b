Moving left and back then printing and ending left of the tape without touching
<<<<<<<<<<>>>>>>>>>>+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.<<<<<<<<
