As steps_drift_side with one step fewer: the limit is reached at the fourth
back edge of the drifting loop in every tier
>>+>>+>>+>>+>>+[>[<<<<+>>>>-]<<<]+++++++++++++++++++++++++++++++++++++++++++++++++.
