Odd step of five always reaches zero then D
++[-----]++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
