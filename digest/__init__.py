"""chipwatch's delivering half: compose the digest from the store, render it, send it, and schedule it all."""
