# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
#
# vmlib.sh: building and booting an ndisirq guest under QEMU (TCG, never
# KVM), shared by the `vm` test tier (tests/vm/vm-run) and `ndisirq vm`
# (tools/ndisirq/vm/ndisirq-vm). Sourced by bash; defines functions and
# variables prefixed vm_/VM_, nothing runs on sourcing.
#
# The caller defines say MESSAGE (progress) before calling anything here.
# Functions that can fail return 1 with the reason in VM_ERR (one line,
# naming what is wrong); the caller decides the exit status.
#
# The guest: Debian's kernel (the version linux-image-amd64 depends on,
# downloaded with apt-get download, cached), the six VFIO modules, a busybox
# initramfs that carries every shared library its programs need (resolved on
# the host, which is the same Debian), QEMU q35 + intel-iommu. /init binds
# every PCI function that is not a bridge nor 00:1f.* to vfio-pci, runs the
# programs listed in /etc/nirq/programs, then /etc/nirq/commands with sh,
# then prints NIRQ-VM-DONE and powers off.

# The six VFIO modules, in load order (vfio-guest-harness.md).
readonly VM_MODULES="virt/lib/irqbypass.ko drivers/vfio/vfio.ko
drivers/vfio/vfio_iommu_type1.ko drivers/vfio/vfio_virqfd.ko
drivers/vfio/pci/vfio-pci-core.ko drivers/vfio/pci/vfio-pci.ko"
readonly VM_SENTINEL="NIRQ-VM-DONE"
VM_ERR=""

# ---------------------------------------------------------------- devices

# vm_parse_devices TOKEN...: sets QEMU_DEVICES (QEMU arguments) and
# IVSHMEM_VECTORS (one entry per ivshmem device; its chardev path is the
# placeholder @SOCKn@ until vm_start_ivshmem_servers). Tokens: edu, e1000e,
# e1000, ivshmem:N, e1000e@hubN, e1000@hubN.
vm_parse_devices() {
	local tok n=0 model hub v
	QEMU_DEVICES=() IVSHMEM_VECTORS=()
	for tok in "$@"; do
		n=$((n + 1))
		case $tok in
		edu)
			QEMU_DEVICES+=(-device edu) ;;
		e1000e|e1000)
			QEMU_DEVICES+=(-device "$tok,romfile=") ;;
		e1000e@hub*|e1000@hub*)
			model=${tok%@*} hub=${tok#*@hub}
			[[ $hub =~ ^[0-9]+$ ]] || {
				VM_ERR="'$tok': hub must be a number (e1000e@hub0)"
				return 1
			}
			QEMU_DEVICES+=(-netdev "hubport,id=hp$n,hubid=$hub"
				-device "$model,netdev=hp$n,romfile=") ;;
		ivshmem:*)
			v=${tok#ivshmem:}
			[[ $v =~ ^[0-9]+$ ]] && [ "$v" -ge 1 ] && [ "$v" -le 1024 ] || {
				VM_ERR="'$tok': vectors must be 1..1024"
				return 1
			}
			IVSHMEM_VECTORS+=("$v")
			QEMU_DEVICES+=(-chardev "socket,path=@SOCK${#IVSHMEM_VECTORS[@]}@,id=ivs$n"
				-device "ivshmem-doorbell,chardev=ivs$n,vectors=$v") ;;
		*)
			VM_ERR="unknown device '$tok' (edu, e1000e, e1000, ivshmem:N, e1000e@hubN, e1000@hubN)"
			return 1 ;;
		esac
	done
}

# ---------------------------------------------------------------- QEMU here?

# vm_qemu_probe: sets QEMU (NIRQ_VM_QEMU, default qemu-system-x86_64); 0 when
# a trivial TCG q35 machine starts, else 1 with the reason.
vm_qemu_probe() {
	local probe rc
	QEMU=${NIRQ_VM_QEMU:-qemu-system-x86_64}
	command -v "$QEMU" >/dev/null 2>&1 || {
		VM_ERR="$QEMU not found (apt-get install qemu-system-x86)"
		return 1
	}
	probe=$(echo quit | timeout -k 5 60 "$QEMU" -accel tcg -M q35 -m 64 -nodefaults \
		-no-user-config -display none -S -monitor stdio 2>&1)
	rc=$?
	[ $rc -eq 0 ] && return 0
	VM_ERR="a trivial '$QEMU -accel tcg -M q35' run failed (status $rc): $(echo "$probe" | tail -n 2 | tr '\n' ' ')"
	return 1
}

# ---------------------------------------------------------------- kernel

# vm_cache_dir FALLBACK: sets CACHE: NIRQ_VM_CACHE, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/ndisirq/vm, else (not writable) FALLBACK.
vm_cache_dir() {
	if [ -n "${NIRQ_VM_CACHE:-}" ]; then
		CACHE=$NIRQ_VM_CACHE
	elif [ -n "${XDG_CACHE_HOME:-}" ]; then
		CACHE=$XDG_CACHE_HOME/ndisirq/vm
	elif [ -n "${HOME:-}" ]; then
		CACHE=$HOME/.cache/ndisirq/vm
	else
		CACHE=$1
	fi
	if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
		[ -z "${NIRQ_VM_CACHE:-}" ] || {
			VM_ERR="cache NIRQ_VM_CACHE=$NIRQ_VM_CACHE: cannot create or write it"
			return 1
		}
		say "cache $CACHE is not writable: using $1"
		CACHE=$1
		mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || {
			VM_ERR="cache $CACHE: cannot create or write it (set NIRQ_VM_CACHE)"
			return 1
		}
	fi
	return 0
}

# vm_kernel_resolve: sets KPKG and KVER from apt's lists (the candidate
# version of the package linux-image-amd64 depends on). apt-cache takes
# seconds here, so the answer is memoised in the cache, keyed by the lists.
vm_kernel_resolve() {
	local key memo=$CACHE/resolved
	KPKG="" KVER=""
	key=$(stat -c '%n %s %Y' /var/lib/apt/lists/* 2>/dev/null | md5sum | cut -d' ' -f1)
	if [ -f "$memo" ] && [ "$(sed -n 1p "$memo")" = "$key" ]; then
		read -r KPKG KVER < <(sed -n 2p "$memo")
		[ -n "$KVER" ] && return 0
	fi
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	[ -n "$KPKG" ] || return 1
	KVER=$(apt-cache show --no-all-versions "$KPKG" 2>/dev/null |
		awk '$1 == "Version:" { print $2; exit }')
	[ -n "$KVER" ] || return 1
	printf '%s\n%s %s\n' "$key" "$KPKG" "$KVER" >"$memo.tmp" && mv "$memo.tmp" "$memo"
}

# vm_kernel_vmlinux BZIMAGE OUT: the ELF vmlinux of the first xz stream (magic
# FD 37 7A 58 5A 00) that decompresses to an ELF with a PVH entry note.
vm_kernel_vmlinux() {
	local off
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | cut -d: -f1); do
		# xz stops reading at the end of the stream: tail may die of SIGPIPE.
		tail -c +$((off + 1)) "$1" | xz -dc --single-stream >"$2.tmp" 2>/dev/null
		[ "${PIPESTATUS[1]}" = 0 ] || continue
		[ "$(head -c 4 "$2.tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || continue
		# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry QEMU's -kernel uses.
		LC_ALL=C readelf -n "$2.tmp" 2>/dev/null | grep "Xen.*(0x00000012)" >/dev/null || continue
		mv "$2.tmp" "$2"
		return 0
	done
	rm -f "$2.tmp"
	return 1
}

# vm_kernel_fetch DIR: download KPKG=KVER and unpack what the guest needs.
vm_kernel_fetch() {
	local dir=$1 tmp deb m
	tmp=$(mktemp -d "$CACHE/tmp.XXXXXX") || return 1
	say "downloading $KPKG $KVER into $CACHE (once; later runs use the cache)"
	if ! (cd "$tmp" && apt-get download "$KPKG=$KVER" 2>&1 | { grep -v "^W: Download is performed unsandboxed" || true; }); then
		rm -rf "$tmp"
		return 1
	fi
	deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
	[ -f "$deb" ] || { rm -rf "$tmp"; return 1; }
	say "unpacking $(basename "$deb")"
	mkdir -p "$tmp/x" "$tmp/k/modules"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp/x" --wildcards './boot/vmlinuz-*' \
			'./lib/modules/*/kernel/virt/lib/*' \
			'./lib/modules/*/kernel/drivers/vfio/*' ||
		{ rm -rf "$tmp"; return 1; }
	cp "$tmp"/x/boot/vmlinuz-* "$tmp/k/vmlinuz" || { rm -rf "$tmp"; return 1; }
	for m in $VM_MODULES; do
		cp "$tmp"/x/lib/modules/*/kernel/"$m" "$tmp/k/modules/" ||
			{ say "$KPKG has no $m"; rm -rf "$tmp"; return 1; }
	done
	if vm_kernel_vmlinux "$tmp/k/vmlinuz" "$tmp/k/vmlinux"; then
		say "extracted the PVH vmlinux from the bzImage"
	else
		say "no PVH vmlinux in the bzImage's xz stream: booting the bzImage"
		touch "$tmp/k/no-pvh"
	fi
	echo "$KPKG $KVER" >"$tmp/k/version"
	rm -rf "$dir"
	mv "$tmp/k" "$dir" && rm -rf "$tmp"
}

vm_kernel_update() {
	[ "$(id -u)" = 0 ] || return 1
	say "$1: apt-get update"
	apt-get update -qq >/dev/null 2>&1
}

# vm_kernel: sets KDIR (the cached kernel directory) and KERNEL (the file to
# boot: the PVH vmlinux, or the bzImage when there is none or
# NIRQ_VM_KERNEL=bzimage). Needs CACHE (vm_cache_dir).
vm_kernel() {
	local lock
	exec {lock}>"$CACHE/.lock" || { VM_ERR="cache $CACHE: cannot open $CACHE/.lock"; return 1; }
	flock "$lock" || { VM_ERR="cache $CACHE: cannot lock it"; return 1; }
	# Left by a run that was killed while it held the lock.
	rm -rf "$CACHE"/tmp.*
	KDIR=""
	if vm_kernel_resolve || { vm_kernel_update "apt-cache knows no linux-image-amd64" && vm_kernel_resolve; }; then
		KDIR=$CACHE/kernel-${KPKG}_$KVER
		if [ ! -f "$KDIR/version" ] && ! vm_kernel_fetch "$KDIR"; then
			# Stale lists name a version the archive no longer has.
			if vm_kernel_update "download failed" && vm_kernel_resolve; then
				KDIR=$CACHE/kernel-${KPKG}_$KVER
				[ -f "$KDIR/version" ] || vm_kernel_fetch "$KDIR" || KDIR=""
			else
				KDIR=""
			fi
		fi
	fi
	if [ -z "$KDIR" ]; then
		# Offline: the newest kernel already in the cache, if any.
		KDIR=$(ls -d "$CACHE"/kernel-*/version 2>/dev/null | sort -V | tail -n 1)
		KDIR=${KDIR%/version}
		if [ -z "$KDIR" ]; then
			exec {lock}>&-
			VM_ERR="no guest kernel: could not resolve or download the package linux-image-amd64 depends on (apt-cache depends linux-image-amd64; apt-get download) and the cache $CACHE has none"
			return 1
		fi
		say "using the cached kernel $(cat "$KDIR/version") (could not resolve or fetch the current one)"
	fi
	exec {lock}>&-
	if [ "${NIRQ_VM_KERNEL:-}" != bzimage ] && [ -f "$KDIR/vmlinux" ]; then
		KERNEL=$KDIR/vmlinux
	else
		KERNEL=$KDIR/vmlinuz
	fi
	return 0
}

# ---------------------------------------------------------------- initramfs

# vm_root_init WORK: creates ROOT=WORK/root with busybox, the VFIO modules of
# KDIR and /init. Then vm_add_elf for each program or library to carry,
# vm_copy_libs, the /etc/nirq files (programs, commands, guest, smp) and
# vm_pack.
vm_root_init() {
	local m
	ROOT=$1/root VM_ELFS=()
	mkdir -p "$ROOT"/{bin,sbin,etc/nirq,lib/modules,proc,sys,dev,tmp,run} \
		"$ROOT"/opt/nirq/{bin,lib,samples} || { VM_ERR="cannot create $ROOT"; return 1; }
	VM_BUSYBOX=$(command -v busybox) || {
		VM_ERR="busybox not found (apt-get install busybox-static)"
		return 1
	}
	vm_add_elf "$VM_BUSYBOX" /bin/busybox || return 1
	for m in "$KDIR"/modules/*.ko; do
		cp "$m" "$ROOT/lib/modules/" || { VM_ERR="cannot copy $m"; return 1; }
	done
	: >"$ROOT/etc/nirq/programs"
	: >"$ROOT/etc/nirq/commands"
	vm_write_init
}

# vm_add_elf SRC DEST: copies SRC to DEST (a path in the guest) and records
# SRC for vm_copy_libs. A DEST ending in / takes SRC's name.
vm_add_elf() {
	local dst=$2
	case $dst in */) dst=$dst$(basename "$1") ;; esac
	mkdir -p "$ROOT$(dirname "$dst")" && cp "$1" "$ROOT$dst" ||
		{ VM_ERR="cannot copy $1 into the initramfs"; return 1; }
	[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && VM_ELFS+=("$1")
	return 0
}

# vm_copy_libs: every shared library the recorded ELFs need, resolved with
# ldd on the host. A library in a directory the loader searches by default
# (/lib, /usr/lib and their x86_64-linux-gnu and lib64 forms: libc, the ELF
# interpreter) keeps its host path; any other (libndisirq, a library of a
# user's miniport found through its RUNPATH) goes to /opt/nirq/lib, which is
# on the guest's LD_LIBRARY_PATH: the guest has no ld.so.cache, a RUNPATH
# of $ORIGIN points elsewhere there, and /tmp is a fresh tmpfs.
vm_copy_libs() {
	local src dst line libs f
	declare -A seen=() from=()
	for src in "${VM_ELFS[@]}"; do
		# Statically linked: nothing to add.
		LC_ALL=C readelf -l "$src" 2>/dev/null | grep "INTERP\|DYNAMIC" >/dev/null || continue
		libs=$(LC_ALL=C ldd "$src" 2>&1) || { VM_ERR="ldd $src failed: $libs"; return 1; }
		if echo "$libs" | grep "not found" >/dev/null; then
			VM_ERR="$src needs a library that ldd cannot find on this host: $(echo "$libs" | grep 'not found' | tr -s ' \t\n' ' ')"
			return 1
		fi
		while read -r line; do
			case $line in
			*' => '/*) line=${line#* => }; line=${line%% (*} ;;
			/*) line=${line%% (*} ;;
			*) continue ;;
			esac
			[ -n "${seen[$line]:-}" ] && continue
			seen[$line]=1
			case $(dirname "$line") in
			/lib|/lib64|/usr/lib|/usr/lib64|/lib/x86_64-linux-gnu|/usr/lib/x86_64-linux-gnu)
				dst=$ROOT$line ;;
			*)
				dst=$ROOT/opt/nirq/lib/$(basename "$line")
				f=${from[$dst]:-}
				if [ -n "$f" ] && ! cmp -s "$f" "$line"; then
					VM_ERR="two different libraries named $(basename "$line"): $f and $line"
					return 1
				fi
				from[$dst]=$line ;;
			esac
			mkdir -p "$(dirname "$dst")"
			cp -L "$line" "$dst" || { VM_ERR="cannot copy $line into the initramfs"; return 1; }
		done <<<"$libs"
	done
	# glibc dlopens libgcc_s for pthread_exit/pthread_cancel unwinding; ldd
	# cannot see that.
	f=$(LC_ALL=C ldconfig -p 2>/dev/null | awk '$1 == "libgcc_s.so.1" && /x86-64/ { print $NF; exit }')
	if [ -n "$f" ] && [ ! -e "$ROOT$f" ]; then
		mkdir -p "$ROOT$(dirname "$f")" && cp -L "$f" "$ROOT$f"
	fi
	return 0
}

vm_write_init() {
	cat >"$ROOT/init" <<'EOF'
#!/bin/busybox sh
# /init of an ndisirq guest (written by tools/ndisirq/vm/vmlib.sh).
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
mount -t tmpfs tmpfs /tmp
export PATH=/opt/nirq/bin:/bin:/sbin HOME=/tmp
export LD_LIBRARY_PATH=/opt/nirq/lib:/opt/nirq/samples
export NIRQ_VM_GUEST=$(cat /etc/nirq/guest) NIRQ_VM_SMP=$(cat /etc/nirq/smp)
echo "vm: guest $(cat /etc/nirq/guest) up, kernel $(uname -r)"
for m in irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci; do
	insmod /lib/modules/$m.ko || echo "vm: insmod $m.ko failed"
done
# CPUs online (-smp N): the programs expect all of them.
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	[ -f $c/online ] && [ "$(cat $c/online)" = 0 ] && echo 1 >$c/online
done
echo "vm: $(grep -c ^processor /proc/cpuinfo) CPUs online"
# Every PCI function that is not a bridge (class 0x06*) nor 00:1f.* to vfio-pci.
for d in /sys/bus/pci/devices/*; do
	b=${d##*/}
	case $(cat $d/class) in 0x06*) continue ;; esac
	case $b in 0000:00:1f.*) continue ;; esac
	[ -e $d/driver ] && echo $b >$d/driver/unbind
	echo vfio-pci >$d/driver_override
	echo $b >/sys/bus/pci/drivers_probe
	drv=none grp=none
	[ -e $d/driver ] && drv=$(basename $(readlink $d/driver))
	[ -e $d/iommu_group ] && grp=$(basename $(readlink $d/iommu_group))
	echo "vm: $b $(cat $d/vendor):$(cat $d/device) driver $drv, iommu group $grp"
done
cd /opt/nirq
for p in $(cat /etc/nirq/programs); do
	echo "vm: running $p"
	/opt/nirq/bin/$p
	echo "vm: $p exited with status $?"
done
if [ -s /etc/nirq/commands ] && grep -q '[^[:space:]]' /etc/nirq/commands; then
	echo "vm: running the commands:"
	sed 's/^/vm: $ /' /etc/nirq/commands
	sh /etc/nirq/commands 2>&1
	echo "vm: the commands exited with status $?"
fi
cd /
echo NIRQ-VM-DONE
poweroff -f
EOF
	chmod 755 "$ROOT/init"
}

# vm_pack OUT: the initramfs (newc cpio) of ROOT.
vm_pack() {
	(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet >"$1") ||
		{ VM_ERR="cpio failed"; return 1; }
}

# ---------------------------------------------------------------- boot

# vm_start_ivshmem_servers SERVER WORK: one server per IVSHMEM_VECTORS
# entry, its socket in WORK; the @SOCKn@ placeholders of QEMU_DEVICES become
# the socket paths. Sets VM_SERVER_PIDS (vm_cleanup stops them).
vm_start_ivshmem_servers() {
	local server=$1 work=$2 i j sock
	for i in "${!IVSHMEM_VECTORS[@]}"; do
		sock=$work/ivshmem$((i + 1)).sock
		"$server" -P -S "$sock" -n "${IVSHMEM_VECTORS[$i]}" &
		VM_SERVER_PIDS+=($!)
		for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
		[ -S "$sock" ] || { VM_ERR="ivshmem server $server did not create $sock"; return 1; }
		for j in "${!QEMU_DEVICES[@]}"; do
			QEMU_DEVICES[$j]=${QEMU_DEVICES[$j]//@SOCK$((i + 1))@/$sock}
		done
		say "ivshmem server on $sock, ${IVSHMEM_VECTORS[$i]} vectors"
	done
	return 0
}

# vm_qemu_args SMP MEM INITRD: sets QEMU_ARGS: q35 + intel-iommu under TCG,
# the serial console on QEMU's stdout, KERNEL, INITRD and QEMU_DEVICES.
vm_qemu_args() {
	QEMU_ARGS=(-accel tcg -M q35 -smp "$1" -m "$2"
		-nographic -no-reboot -vga none -net none
		-kernel "$KERNEL" -initrd "$3"
		-append "console=ttyS0 quiet panic=-1 intel_iommu=on"
		-device intel-iommu "${QEMU_DEVICES[@]}")
}

# The serial console without carriage returns and terminal escapes (SeaBIOS
# clears the screen), line by line so progress shows as it happens.
vm_console_filter() {
	sed -u -e "s/\r//g" -e "s/\x1b\[[0-9;?]*[A-Za-z]//g" -e "s/\x1bc//g"
}

# vm_cleanup: stops QEMU (VM_QEMU_PID: timeout(1)'s pid, which passes the
# signal on), the VM_TAIL_PIDS and VM_SERVER_PIDS, removes VM_WORK.
VM_QEMU_PID="" VM_TAIL_PIDS=() VM_SERVER_PIDS=() VM_WORK=""
vm_cleanup() {
	local p
	[ -z "$VM_QEMU_PID" ] || { kill "$VM_QEMU_PID" 2>/dev/null; wait "$VM_QEMU_PID" 2>/dev/null; }
	for p in "${VM_TAIL_PIDS[@]}" "${VM_SERVER_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ -z "$VM_WORK" ] || rm -rf "$VM_WORK"
}
