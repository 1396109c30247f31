Moving left and back without touching is fine
<>
