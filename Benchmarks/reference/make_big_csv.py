"""Deterministic 200,000 x 10 CSV: an id, Vietnamese text, integers and decimals."""
import sys
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
names = ["Xã Bằng Vân", "Thị trấn Nà Phặc", "Xã Thượng Quan", "Xã Cốc Đán", "Xã Trung Hòa", "Xã Hiệp Lực"]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("id,don_vi,chi_tieu,ho_so,dung_han,ty_le,kinh_phi,nam,quy,ghi_chu\n")
    x = 12345
    for i in range(1, rows):
        x = (x * 1103515245 + 12345) % 2**31
        a = x % 5000
        b = a - (x >> 8) % (a + 1)
        f.write(f"{i},{names[i % len(names)]},CT{i % 120:03d},{a},{b},{(b * 100 / a) if a else 0:.2f},{x % 100000}.{x % 1000:03d},2023,{1 + i % 4},ghi chú {i % 17}\n")
