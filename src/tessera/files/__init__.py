"""Files and images: uploads, downloads, thumbnails and expiry (fact sheet §5.23)."""
