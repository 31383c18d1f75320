"""Data quality: outlier and per-person flags at upload, validation rules as data, follow-up."""
