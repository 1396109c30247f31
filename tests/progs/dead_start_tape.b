Loops at the start never run so their off tape touches never happen
[<<<<.>>>>][-<]++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
