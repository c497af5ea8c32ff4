// The files chosen in an <input type="file">, read for support_plus's upload arguments:
// [{filename, data (base64)}]. Shared by the customer portal (portal.js) and /field (field.js).
window.support_read_files = function (input) {
	const files = Array.from((input && input.files) || []);
	return Promise.all(
		files.map(
			(file) =>
				new Promise((resolve, reject) => {
					const reader = new FileReader();
					reader.onload = () => resolve({ filename: file.name, data: reader.result.split(",")[1] });
					reader.onerror = reject;
					reader.readAsDataURL(file);
				})
		)
	);
};
