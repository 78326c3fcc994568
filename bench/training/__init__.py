"""Training speed: our trainer against the lecture's loop, and what each training feature costs."""
